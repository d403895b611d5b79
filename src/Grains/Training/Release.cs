namespace SecureCompute.Grains.Training;

/// <summary>One release the training program made: what it was, when, how large, and to whom.</summary>
/// <param name="Kind">Statistics, loss or model.</param>
/// <param name="Round">The engine's round count when it was released (the release's own round included).</param>
/// <param name="Elements">Values released.</param>
/// <param name="Recipients">Who received it: session party indices (in session order).</param>
public sealed record Release(Interfaces.Governance.ReleaseKind Kind, long Round, long Elements, IReadOnlyList<int> Recipients);
