using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Interfaces;

/// <summary>
/// A party's shares for one session (key: <c>{session}/{party}</c>, see <see cref="PartySessionKey"/>). Lives only on that
/// party's silos; it runs the session's program for its party and holds every share it creates.
/// </summary>
[Alias("SecureCompute.IPartySessionGrain")]
public interface IPartySessionGrain : IGrainWithStringKey
{
    /// <summary>Receives the session plan (public) before any seed.</summary>
    [Alias("Prepare")]
    Task PrepareAsync(SessionPlan plan);

    /// <summary>Receives this party's material seed, straight from the dealer (16 secret bytes).</summary>
    [Alias("AcceptMaterialSeed")]
    Task AcceptMaterialSeedAsync(byte[] seed);

    /// <summary>Receives the pairwise seed shared with party <paramref name="fromParty"/>, straight from that party's party session grain.</summary>
    [Alias("AcceptPairwiseSeed")]
    Task AcceptPairwiseSeedAsync(int fromParty, byte[] seed);

    /// <summary>Draws a pairwise seed for every later party and sends each its seed directly.</summary>
    [Alias("SendPairwiseSeeds")]
    Task SendPairwiseSeedsAsync();

    /// <summary>Starts the party's program on its own worker; returns at once (progress goes to the coordinator).</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>Keeps the party's checkpoint (sealed in its own storage; the last two are kept). Called by the party's own worker.</summary>
    [Alias("SaveCheckpoint")]
    Task SaveCheckpointAsync(int attempt, CheckpointData checkpoint);

    /// <summary>The epochs after which this party holds a checkpoint (oldest first; empty before the first).</summary>
    [Alias("CheckpointEpochs")]
    Task<int[]> GetCheckpointEpochsAsync();

    /// <summary>
    /// Restarts the party's program as attempt <paramref name="attempt"/> from its checkpoint after
    /// <paramref name="epochs"/> epochs (0: from the start), once the previous attempt's worker has stopped.
    /// </summary>
    [Alias("Resume")]
    Task ResumeAsync(int attempt, int epochs);

    /// <summary>Keeps what this party holds of the released model (called by the party's own worker at the end).</summary>
    [Alias("KeepResult")]
    Task KeepResultAsync(int attempt, SessionResult share, SessionResult? model);

    /// <summary>The session's spec and what this party holds of the model (its share, and the model if it is a recipient); called by the party's own party grain.</summary>
    [Alias("GetResult")]
    Task<(SessionSpec Spec, SessionResult? Model, SessionResult? Share)> GetResultAsync();

    /// <summary>
    /// Drops everything secret this party holds for the session — seeds, checkpoints, its share of the result — in memory
    /// and in storage, and takes nothing more for it: the session was cancelled. Its worker stops at its next open, which
    /// the coordinator fails.
    /// </summary>
    [Alias("Discard")]
    Task DiscardAsync();

    /// <summary>The party id of the silo this activation runs on (for placement checks and audits).</summary>
    [Alias("HostParty")]
    Task<string?> GetHostPartyAsync();
}
