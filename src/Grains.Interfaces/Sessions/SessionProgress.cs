namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>A session's progress as the coordinator knows it: public figures and released losses only.</summary>
/// <param name="State">Where the session is.</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="EpochLoss">The released per-epoch losses so far.</param>
/// <param name="Rounds">Rounds opened so far.</param>
/// <param name="Error">Why it failed (names the party or file at fault), or null.</param>
/// <param name="Report">The report once completed, or null.</param>
/// <param name="Resumes">How many times the session resumed from a checkpoint after losing a party's silo.</param>
/// <param name="EpochsDone">Epochs finished so far (a DP session releases no loss, so <paramref name="EpochLoss"/> stays empty there).</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.SessionProgress")]
public sealed record SessionProgress(
    [property: Id(0)] SessionState State,
    [property: Id(1)] int Epochs,
    [property: Id(2)] double[] EpochLoss,
    [property: Id(3)] long Rounds,
    [property: Id(4)] string? Error,
    [property: Id(5)] SessionReport? Report,
    [property: Id(6)] int Resumes = 0,
    [property: Id(7)] int EpochsDone = 0);
