using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Interfaces.Privacy;

/// <summary>
/// A party's privacy budget ledger (key: the party id): what its dataset has spent, what running sessions have
/// reserved, and what remains of the total its policy sets. Lives only on the party's silos, in the party's own
/// storage, sealed with the party's key.
/// </summary>
[Alias("SecureCompute.IPrivacyBudgetGrain")]
public interface IPrivacyBudgetGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reserves (ε, δ) for <paramref name="session"/>, or refuses naming this party and its remaining ε. Idempotent for
    /// a session already reserved with the same figures. Called by the party's own party grain at admission.
    /// </summary>
    [Alias("Reserve")]
    Task<BudgetAnswer> ReserveAsync(string session, double epsilon, double delta);

    /// <summary>
    /// Marks <paramref name="session"/>'s reservation spent: called by the party's own worker just before the session's
    /// first DP release leaves it. Fails if the session holds no reservation (never reserved, or refunded).
    /// </summary>
    [Alias("Spend")]
    Task SpendAsync(string session);

    /// <summary>
    /// Gives back <paramref name="session"/>'s reservation if nothing was spent (the session failed or was cancelled
    /// before any DP release); a spent session keeps its spend. Returns whether anything was given back.
    /// </summary>
    [Alias("Refund")]
    Task<bool> RefundAsync(string session);

    /// <summary>The ledger, for an operator of this party.</summary>
    [Alias("Show")]
    Task<BudgetStatement> ShowAsync(ClientCredential credential);

    /// <summary>The party that hosts this grain (placement).</summary>
    [Alias("GetHostParty")]
    Task<string?> GetHostPartyAsync();
}

/// <summary>A reservation's answer: reserved, or the refusal naming the party and what remains.</summary>
[GenerateSerializer, Immutable, Alias("SecureCompute.BudgetAnswer")]
public sealed record BudgetAnswer([property: Id(0)] bool Reserved, [property: Id(1)] string? Refusal);

/// <summary>Where one session's (ε, δ) stands in a ledger.</summary>
public enum BudgetEntryState
{
    /// <summary>Held for a session that has released nothing yet.</summary>
    Reserved,

    /// <summary>Spent: the session made its DP release (or was about to when it stopped).</summary>
    Spent,

    /// <summary>Given back: the session ended before any DP release.</summary>
    Refunded,
}

/// <summary>One session's line in the ledger.</summary>
[GenerateSerializer, Immutable, Alias("SecureCompute.BudgetEntry")]
public sealed record BudgetEntry(
    [property: Id(0)] string Session,
    [property: Id(1)] double Epsilon,
    [property: Id(2)] double Delta,
    [property: Id(3)] BudgetEntryState State,
    [property: Id(4)] DateTimeOffset Since);

/// <summary>A ledger as its party's operator sees it: totals (null: no limit) and every session's line.</summary>
[GenerateSerializer, Immutable, Alias("SecureCompute.BudgetStatement")]
public sealed record BudgetStatement(
    [property: Id(0)] string Party,
    [property: Id(1)] string Dataset,
    [property: Id(2)] double? TotalEpsilon,
    [property: Id(3)] double? TotalDelta,
    [property: Id(4)] double SpentEpsilon,
    [property: Id(5)] double ReservedEpsilon,
    [property: Id(6)] double? RemainingEpsilon,
    [property: Id(7)] double SpentDelta,
    [property: Id(8)] double ReservedDelta,
    [property: Id(9)] BudgetEntry[] Sessions);
