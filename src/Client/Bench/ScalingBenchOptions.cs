using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Client.Bench;

/// <summary>Settings of one <c>bench training --parties … --rows …</c> run: the grid and how each point is trained.</summary>
/// <param name="Parties">The party counts of the grid.</param>
/// <param name="Rows">The row counts of the grid (rows in all, split among the parties).</param>
/// <param name="Spec">The logistic workload's session parameters (the default demo's, with the grid's epochs); each point
/// gives it its own session id and parties.</param>
/// <param name="Repeats">Timed runs per point and engine; the median is reported.</param>
/// <param name="Engines">Which engines train each point.</param>
internal sealed record ScalingBenchOptions(IReadOnlyList<int> Parties, IReadOnlyList<int> Rows, SessionSpec Spec, int Repeats, ScalingEngines Engines)
{
    /// <summary>Epochs per point unless <c>--epochs</c> says otherwise: the grid's largest points take minutes per epoch.</summary>
    public const int DefaultEpochs = 1;

    /// <summary>Timed runs per point unless <c>--repeats</c> says otherwise.</summary>
    public const int DefaultRepeats = 1;

    /// <summary>The party count when only <c>--rows</c> is given (the default demo's).</summary>
    public const int DefaultParties = 3;

    /// <summary>The fewest parties of a point.</summary>
    public const int MinParties = 2;

    /// <summary>The most parties of a point.</summary>
    public const int MaxParties = 16;

    /// <summary>The most rows of a point (every party's rows and their shares are held in this one process).</summary>
    public const int MaxRows = 1_000_000;

    /// <summary>Every problem with the settings, empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Parties.Count == 0 || Rows.Count == 0)
        {
            problems.Add("the scaling grid needs at least one party count and one row count.");
        }
        else if (Rows.Min() < Parties.Max())
        {
            problems.Add($"--rows {Rows.Min()} gives some of {Parties.Max()} parties no row: every row count must be at least the largest party count.");
        }
        return problems;
    }
}

/// <summary>Which engines train each point of the scaling grid.</summary>
internal enum ScalingEngines
{
    /// <summary>The simulator, then the embedded cluster.</summary>
    Both,

    /// <summary>The in-process simulator only (every party in one engine).</summary>
    Simulator,

    /// <summary>The embedded cluster only (a silo per party and a dealer silo in this process).</summary>
    Cluster,
}
