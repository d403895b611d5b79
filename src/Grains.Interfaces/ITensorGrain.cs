using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Interfaces;

/// <summary>
/// A party's shares for one session (key: <c>{session}/{party}</c>, see <see cref="TensorKey"/>). Lives only on that
/// party's silos; it runs the session's program for its party and holds every share it creates.
/// </summary>
[Alias("SecureCompute.ITensorGrain")]
public interface ITensorGrain : IGrainWithStringKey
{
    /// <summary>Receives the session plan (public) before any seed.</summary>
    [Alias("Prepare")]
    Task PrepareAsync(SessionPlan plan);

    /// <summary>Receives this party's material seed, straight from the dealer (16 secret bytes).</summary>
    [Alias("AcceptMaterialSeed")]
    Task AcceptMaterialSeedAsync(byte[] seed);

    /// <summary>Receives the pairwise seed shared with party <paramref name="fromParty"/>, straight from that party's tensor grain.</summary>
    [Alias("AcceptPairwiseSeed")]
    Task AcceptPairwiseSeedAsync(int fromParty, byte[] seed);

    /// <summary>Draws a pairwise seed for every later party and sends each its seed directly.</summary>
    [Alias("SendPairwiseSeeds")]
    Task SendPairwiseSeedsAsync();

    /// <summary>Starts the party's program on its own worker; returns at once (progress goes to the coordinator).</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>The party id of the silo this activation runs on (for placement checks and audits).</summary>
    [Alias("HostParty")]
    Task<string?> GetHostPartyAsync();
}
