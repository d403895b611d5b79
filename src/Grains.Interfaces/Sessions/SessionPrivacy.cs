namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>
/// A differentially private session's privacy section (the spec's <c>privacy</c>): the budget it spends on every
/// party's ledger and how. Public, like the rest of the spec.
/// </summary>
/// <param name="Epsilon">ε the session spends in all (every release it makes, composed).</param>
/// <param name="Delta">δ of the (ε, δ) guarantee.</param>
/// <param name="Mechanism">How the model is made private.</param>
/// <param name="ClipNorm">DP-SGD's per-example clip norm C.</param>
/// <param name="NoiseMultiplier">DP-SGD's σ; null: the smallest σ whose ε (by the session's accountant) is at most <see cref="Epsilon"/>.</param>
/// <param name="ToleratedCoalition">How many parties may pool their knowledge of the noise and still face the full
/// guarantee; null: all but one (n − 1).</param>
/// <param name="LowerBounds">Public per-feature lower bounds, in the schema's feature order: a DP program clamps each
/// feature to its bounds and scales by them, never by the data's statistics. Required for DP-SGD.</param>
/// <param name="UpperBounds">Public per-feature upper bounds, as <paramref name="LowerBounds"/>.</param>
/// <param name="Regularisation">Output perturbation's L2 regularisation λ; null: 0.05.</param>
/// <param name="StatisticsShare">DP-SGD only: standardise by private statistics (a noisy mean and mean absolute
/// deviation within the public bounds, two Gaussian releases to every party) taking this share of the budget; null:
/// by the public bounds alone, releasing nothing but the model.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.SessionPrivacy")]
public sealed record SessionPrivacy(
    [property: Id(0)] double Epsilon,
    [property: Id(1)] double Delta,
    [property: Id(2)] PrivacyMechanism Mechanism = PrivacyMechanism.DpSgd,
    [property: Id(3)] double ClipNorm = 1.0,
    [property: Id(4)] double? NoiseMultiplier = null,
    [property: Id(5)] int? ToleratedCoalition = null,
    [property: Id(6)] double[]? LowerBounds = null,
    [property: Id(7)] double[]? UpperBounds = null,
    [property: Id(8)] double? Regularisation = null,
    [property: Id(9)] double? StatisticsShare = null)
{
    /// <summary>The largest ε a session may ask for (beyond it the guarantee means little).</summary>
    public const double MaxEpsilon = 100;

    /// <summary>Problems with the section for a session of <paramref name="parties"/> parties (empty when valid).</summary>
    public IReadOnlyList<string> Validate(int parties)
    {
        var problems = new List<string>();
        if (!(Epsilon > 0 && Epsilon <= MaxEpsilon))
        {
            problems.Add($"privacy.epsilon must be in (0, {MaxEpsilon}], not {Epsilon}.");
        }
        if (!(Delta > 0 && Delta < 1))
        {
            problems.Add($"privacy.delta must be in (0, 1), not {Delta}.");
        }
        if (!(ClipNorm > 0 && ClipNorm <= 1000))
        {
            problems.Add($"privacy.clipNorm must be in (0, 1000], not {ClipNorm}.");
        }
        if (NoiseMultiplier is { } sigma && !(sigma > 0 && sigma <= 1e4))
        {
            problems.Add($"privacy.noiseMultiplier must be in (0, 10000], not {sigma}.");
        }
        if (ToleratedCoalition is { } t && (t < 0 || t >= parties))
        {
            problems.Add($"privacy.toleratedCoalition must be between 0 and {parties - 1}, not {t}.");
        }
        if (Regularisation is { } lambda && !(lambda > 0 && lambda <= 10))
        {
            problems.Add($"privacy.regularisation must be in (0, 10], not {lambda}.");
        }
        if (Regularisation is not null && Mechanism != PrivacyMechanism.Output)
        {
            problems.Add("privacy.regularisation belongs to output perturbation (mechanism output).");
        }
        if (StatisticsShare is { } share && !(share > 0 && share < 1))
        {
            problems.Add($"privacy.statisticsShare must be in (0, 1), not {share}.");
        }
        if (StatisticsShare is not null && Mechanism != PrivacyMechanism.DpSgd)
        {
            problems.Add("privacy.statisticsShare belongs to DP-SGD (mechanism dpsgd).");
        }
        if (StatisticsShare is not null && NoiseMultiplier is not null)
        {
            problems.Add("privacy.statisticsShare splits ε between the statistics and training: give privacy.epsilon, not privacy.noiseMultiplier, with it.");
        }
        if (LowerBounds is null || UpperBounds is null)
        {
            problems.Add("privacy.lowerBounds and privacy.upperBounds (public per-feature bounds) are required: a DP program never scales by the data's statistics.");
        }
        else if (LowerBounds is not null && UpperBounds is not null)
        {
            if (LowerBounds.Length != UpperBounds.Length)
            {
                problems.Add($"privacy.lowerBounds has {LowerBounds.Length} entries and privacy.upperBounds {UpperBounds.Length}.");
            }
            else if (Enumerable.Range(0, LowerBounds.Length).FirstOrDefault(j => !(double.IsFinite(LowerBounds[j]) && double.IsFinite(UpperBounds[j]) && LowerBounds[j] < UpperBounds[j]), -1) is var bad and >= 0)
            {
                problems.Add($"privacy bounds of feature {bad} must be finite with lower < upper.");
            }
        }
        return problems;
    }
}

/// <summary>How a DP session makes its model private.</summary>
public enum PrivacyMechanism
{
    /// <summary>DP-SGD: per-example clipping and Gaussian noise on every step's summed gradient.</summary>
    DpSgd,

    /// <summary>Output perturbation of L2-regularised logistic regression: noise on the final weights only.</summary>
    Output,
}
