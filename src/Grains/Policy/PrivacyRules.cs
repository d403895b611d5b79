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
/// <param name="Bounds">Public per-feature bounds the party declares (feature name → [lower, upper]); when given, a DP
/// session must use exactly these for every feature it trains on, or the party refuses it before sharing any row.
/// Null: the spec's bounds are accepted.</param>
public sealed record PrivacyRules(bool RequireDp = false, double? BudgetEpsilon = null, double? BudgetDelta = null, double? MaxSessionEpsilon = null,
    IReadOnlyDictionary<string, (double Lower, double Upper)>? Bounds = null)
{
    /// <summary>No rule: DP optional, no budget.</summary>
    public static PrivacyRules None { get; } = new();

    /// <summary>
    /// Every disagreement between a DP session's bounds (<paramref name="lower"/>, <paramref name="upper"/>, in the
    /// order of <paramref name="features"/>) and the bounds this party declares; empty when it declares none.
    /// </summary>
    public IReadOnlyList<string> CheckBounds(IReadOnlyList<string> features, IReadOnlyList<double> lower, IReadOnlyList<double> upper)
    {
        var problems = new List<string>();
        if (Bounds is not { Count: > 0 } declared)
        {
            return problems;
        }
        for (int j = 0; j < features.Count; j++)
        {
            var c = System.Globalization.CultureInfo.InvariantCulture;
            if (!declared.TryGetValue(features[j], out var bound))
            {
                problems.Add($"feature '{features[j]}' has no public bounds in this party's policy (privacy.bounds).");
            }
            else if (j >= lower.Count || j >= upper.Count || lower[j] != bound.Lower || upper[j] != bound.Upper)
            {
                string given = j < lower.Count && j < upper.Count ? string.Create(c, $"[{lower[j]}, {upper[j]}]") : "none";
                problems.Add(string.Create(c, $"the session's bounds for feature '{features[j]}' ({given}) differ from this party's declared [{bound.Lower}, {bound.Upper}]."));
            }
        }
        return problems;
    }

    /// <summary>Equal when every field is (the bounds as sets of entries).</summary>
    public bool Equals(PrivacyRules? other) =>
        other is not null && RequireDp == other.RequireDp && BudgetEpsilon == other.BudgetEpsilon && BudgetDelta == other.BudgetDelta
        && MaxSessionEpsilon == other.MaxSessionEpsilon
        && (Bounds?.Count ?? 0) == (other.Bounds?.Count ?? 0)
        && (Bounds ?? new Dictionary<string, (double, double)>()).All(b => other.Bounds is { } o && o.TryGetValue(b.Key, out var v) && v == b.Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(RequireDp, BudgetEpsilon, BudgetDelta, MaxSessionEpsilon, Bounds?.Count ?? 0);
}
