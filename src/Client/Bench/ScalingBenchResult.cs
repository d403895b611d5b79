using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Learning.Programs;

namespace SecureCompute.Client.Bench;

/// <summary>The figures of <c>bench training --parties … --rows …</c> (the JSON file's shape).</summary>
/// <param name="Workload">What was trained.</param>
/// <param name="Epochs">Epochs per session.</param>
/// <param name="BatchSize">Rows per SGD step.</param>
/// <param name="Repeats">Timed runs per point and engine (the median is reported).</param>
/// <param name="Threads">Logical cores of this machine.</param>
/// <param name="Engines">both, simulator or cluster.</param>
/// <param name="Scaling">Every point of the grid, by parties then rows.</param>
/// <param name="PartiesExponent">The exponent in parties of <paramref name="ExponentsOf"/> (null: one party count).</param>
/// <param name="RowsExponent">The exponent in rows of <paramref name="ExponentsOf"/> (null: one row count).</param>
/// <param name="ExponentsOf">The quantity the two exponents above are fitted to: the first engine's seconds per epoch.</param>
/// <param name="Fits">The fits of every quantity measured at every point.</param>
internal sealed record ScalingBenchResult(string Workload, int Epochs, int BatchSize, int Repeats, int Threads, string Engines, IReadOnlyList<ScalingPoint> Scaling,
    double? PartiesExponent, double? RowsExponent, string ExponentsOf, IReadOnlyList<ScalingFit> Fits);

/// <summary>One point of the scaling grid.</summary>
/// <param name="Parties">Parties.</param>
/// <param name="Rows">Rows in all, split among the parties.</param>
/// <param name="SyntheticRows">How many of them are synthetic.</param>
/// <param name="StepsPerEpoch">SGD steps per epoch.</param>
/// <param name="RoundsPerStep">Rounds per SGD step.</param>
/// <param name="SimulatorSecondsPerEpoch">The simulator's median seconds per epoch (null: not run).</param>
/// <param name="ClusterSecondsPerEpoch">The embedded cluster's median, party 0's program time per epoch (null: not run).</param>
/// <param name="ClusterWallSecondsPerEpoch">The same sessions by the client's wall clock (start to report).</param>
/// <param name="OpenedBytesPerPartyPerEpoch">Bytes one party sends to and receives from the opens, per epoch.</param>
/// <param name="DealerBytesPerEpoch">Bytes the dealer sends, all to party n − 1 (the others expand seeds), per epoch.</param>
/// <param name="BytesPerPartyPerEpoch">The sum of both: what party n − 1, the busiest, moves per epoch.</param>
internal sealed record ScalingPoint(int Parties, int Rows, int SyntheticRows, int StepsPerEpoch, double RoundsPerStep, double? SimulatorSecondsPerEpoch,
    double? ClusterSecondsPerEpoch, double? ClusterWallSecondsPerEpoch, double OpenedBytesPerPartyPerEpoch, double DealerBytesPerEpoch,
    double BytesPerPartyPerEpoch);

/// <summary>What one point's runs measured, engine by engine, until its <see cref="ScalingPoint"/> is made.</summary>
internal sealed class ScalingMeasurement
{
    private readonly List<double> simulator = new();
    private readonly List<double> cluster = new();
    private readonly List<double> wall = new();
    private (int Steps, int Epochs, double RoundsPerStep, long Opened, long Dealer)? cost;

    /// <summary>Records one simulator run.</summary>
    public void Simulator(ProgramResult result, int epochs)
    {
        simulator.Add(result.Seconds / epochs);
        cost ??= (result.Steps, epochs, result.RoundsPerStep, result.BytesOpened, result.DealerBytes);
    }

    /// <summary>Records one cluster session, <paramref name="wallSeconds"/> as the client saw it.</summary>
    public void Cluster(SessionReport report, double wallSeconds, int epochs)
    {
        cluster.Add(report.Seconds / epochs);
        wall.Add(wallSeconds / epochs);
        cost ??= (report.Steps, epochs, report.RoundsPerStep, report.BytesOpened, report.DealerBytes);
    }

    /// <summary>The point's figures: medians of the runs, cost of the first run.</summary>
    public ScalingPoint Point(int parties, int rows, int synthetic)
    {
        var (steps, epochs, roundsPerStep, opened, dealer) = cost ?? throw new InvalidOperationException($"No run of the point ({parties} parties, {rows} rows).");
        double openedPerParty = opened / (double)parties / epochs, dealerPerEpoch = dealer / (double)epochs;
        return new ScalingPoint(parties, rows, synthetic, steps / epochs, roundsPerStep, Median(simulator), Median(cluster), Median(wall), openedPerParty,
            dealerPerEpoch, openedPerParty + dealerPerEpoch);
    }

    private static double? Median(List<double> values) => values.Count == 0 ? null : BenchOutput.Median(values);
}
