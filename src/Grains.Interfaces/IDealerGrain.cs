using SecureCompute.Grains.Interfaces.Dealing;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Interfaces;

/// <summary>The crypto provider of one session (key: the session id). Lives only on silos with the dealer role.</summary>
[Alias("SecureCompute.IDealerGrain")]
public interface IDealerGrain : IGrainWithStringKey
{
    /// <summary>Draws every party's material seed and sends each to that party's party session grain directly.</summary>
    [Alias("Begin")]
    Task BeginAsync(SessionPlan plan);

    /// <summary>Deals the piece <paramref name="order"/> names and returns party n−1's correction (called by party n−1's party session grain, possibly ahead on a guess).</summary>
    [Alias("NextCorrection")]
    Task<MaterialCorrection> NextCorrectionAsync(MaterialOrder order);

    /// <summary>Drops the session's material seeds, in memory and in storage, and deals nothing more: the session was cancelled.</summary>
    [Alias("Discard")]
    Task DiscardAsync();

    /// <summary>The role of the silo this activation runs on (for placement checks).</summary>
    [Alias("HostRole")]
    Task<string?> GetHostRoleAsync();
}
