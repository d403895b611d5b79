namespace SecureCompute.Grains.Sessions;

/// <summary>A coordinator's time limits (configuration section <c>SecureCompute:Sessions</c>).</summary>
public sealed class SessionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "SecureCompute:Sessions";

    /// <summary>How long a new session waits for a silo of every party (and the dealer) to be in the cluster.</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a preparation call (schemas, seeds) may take.</summary>
    public TimeSpan PrepareTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long a round waits for its last party at most, whatever the cluster says about it.</summary>
    public TimeSpan RoundTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// When a silo of a party leaves the cluster mid-session (declared dead by Orleans' membership): how long the session
    /// waits for a silo of that party to be back, then resumes every party from the last common checkpoint — or, if
    /// none came back, fails naming the party.
    /// </summary>
    public TimeSpan PartyLossGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether this silo takes part in sessions whose spec carries a reproducible seed (every secret seed derived from
    /// one public number: whoever knows it unmasks every open). Off by default; demos, benchmarks and the tests that
    /// compare a cluster run with the simulator bit for bit switch it on (<c>--allow-reproducible-seeds</c>).
    /// </summary>
    public bool AllowReproducibleSeeds { get; set; }

    /// <summary>Every problem with the limits.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[] { (nameof(JoinTimeout), JoinTimeout), (nameof(PrepareTimeout), PrepareTimeout), (nameof(RoundTimeout), RoundTimeout), (nameof(PartyLossGrace), PartyLossGrace) })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(24))
            {
                problems.Add($"{Section}:{name} must be a positive time span up to a day (e.g. 00:00:30), not {value}.");
            }
        }
        return problems;
    }
}
