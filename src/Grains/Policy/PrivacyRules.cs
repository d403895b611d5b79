namespace SecureCompute.Grains.Policy;

/// <summary>
/// A party's differential-privacy rules: whether every session on its data must be DP, the total (ε, δ) its dataset
/// may spend over all sessions (basic composition: the sessions' ε and δ add up), and the most one session may spend.
/// Its silo's privacy budget ledger enforces the total (<see cref="Privacy.PrivacyLedger"/>).
/// </summary>
/// <param name="RequireDp">Refuse every session without a <c>privacy</c> section.</param>
/// <param name="BudgetEpsilon">The dataset's total ε; null: no total (spends are still recorded).</param>
/// <param name="BudgetDelta">The dataset's total δ; null: no total.</param>
/// <param name="MaxSessionEpsilon">The most ε one session may spend; null: no limit but the total.</param>
public sealed record PrivacyRules(bool RequireDp = false, double? BudgetEpsilon = null, double? BudgetDelta = null, double? MaxSessionEpsilon = null)
{
    /// <summary>No rule: DP optional, no budget.</summary>
    public static PrivacyRules None { get; } = new();
}
