namespace SecureCompute.Learning.Privacy;

/// <summary>
/// A differentially private training program's public parameters: DP-SGD's clip norm C and noise multiplier σ, the
/// public feature bounds that replace the data's statistics, and the coalition the noise must hold against.
/// </summary>
/// <param name="NoiseMultiplier">σ: the noise added to each batch's sum of clipped gradients has standard deviation σ·C
/// (its part from the honest parties alone: <see cref="ToleratedCoalition"/>).</param>
/// <param name="ClipNorm">C: every example's gradient (over all parameters) is clipped to L2 norm C.</param>
/// <param name="LowerBounds">Per feature, a public lower bound (declared by the data owners, never read from the data).</param>
/// <param name="UpperBounds">Per feature, a public upper bound; each feature is clamped to [lower, upper] and mapped to [−1, 1].</param>
/// <param name="ToleratedCoalition">t: how many parties may pool what they know (their own noise) and still face noise of
/// standard deviation σ·C from the others; null for n − 1 (all but one). Each party adds variance σ²C²/(n − t).</param>
/// <param name="StatisticsNoiseMultiplier">σ_s for private standardisation statistics, or null to standardise by the
/// public bounds alone. When set, two more Gaussian releases precede training: the per-feature sum of the
/// bounds-mapped values (sensitivity √d) and, about that noisy mean, the sum of absolute deviations (sensitivity 2√d),
/// each with noise σ_s times its sensitivity; the rows are then centred and scaled by them
/// (<see cref="FromNoisyStatistics"/>).</param>
/// <remarks>
/// What a DP session releases: the model only (no per-epoch loss, no statistics, no evaluation), so the model's ε is
/// the session's. The accounting (docs/privacy.md): batches are public, so no amplification by sampling is claimed;
/// each epoch's batches are disjoint, so one row is in at most one step per epoch, and E epochs are E adaptive
/// Gaussian mechanisms with sensitivity C (add/remove of a row, realised as zeroing its slot) and noise multiplier σ
/// — the RDP of the sampled Gaussian at sample rate 1, E steps — with σ reduced by <see cref="SensitivityAllowance"/>.
/// </remarks>
public sealed record DpSgdSpec(double NoiseMultiplier, double ClipNorm, IReadOnlyList<double> LowerBounds, IReadOnlyList<double> UpperBounds,
    int? ToleratedCoalition = null, double? StatisticsNoiseMultiplier = null)
{
    /// <summary>The smallest scale private statistics may give a feature, as a fraction of its public half-width: a
    /// noisy deviation near zero would otherwise blow the feature up.</summary>
    public const double StatisticsScaleFloor = 0.05;

    /// <summary>Where a privately standardised value is clamped (public): the training rows' range on shares.</summary>
    public const double StatisticsBound = 4;

    /// <summary>√(π/2): a normal variable's standard deviation over its mean absolute deviation.</summary>
    public static readonly double DeviationToScale = Math.Sqrt(Math.PI / 2);

    /// <summary>Whether the standardisation statistics are released privately (two Gaussian releases) rather than replaced by the public bounds.</summary>
    public bool PrivateStatistics => StatisticsNoiseMultiplier is not null;

    /// <summary>The public range of a standardised training value: ±1 by the bounds alone, ±<see cref="StatisticsBound"/> with private statistics.</summary>
    public double TrainingBound => PrivateStatistics ? StatisticsBound : 1.0;

    /// <summary>L2 sensitivity of the per-feature sum of bounds-mapped values (each in [−1, 1]) under zeroing one row: √d.</summary>
    public static double MeanSensitivity(int features) => Math.Sqrt(features);

    /// <summary>L2 sensitivity of the per-feature sum of absolute deviations from the released mean (each in [0, 2]): 2√d.</summary>
    public static double DeviationSensitivity(int features) => 2 * Math.Sqrt(features);

    /// <summary>How much encoding a party's sum at <paramref name="fractionalBits"/> bits may add to a statistic's sensitivity, relative: 2^-(f−1).</summary>
    public static double StatisticsAllowance(int fractionalBits) => Math.Pow(2, -(fractionalBits - 1));

    /// <summary>The statistics' noise multiplier the accountant uses (null without private statistics).</summary>
    public double? AccountedStatisticsNoiseMultiplier(int fractionalBits) => StatisticsNoiseMultiplier / (1 + StatisticsAllowance(fractionalBits));

    /// <summary>
    /// The standardiser the two noisy releases define, over <paramref name="rows"/> training rows (public):
    /// μ = clamp(Σz/n, −1, 1) and s = max(√(π/2)·Σ|z − μ|/n, <see cref="StatisticsScaleFloor"/>) per feature, in the
    /// bounds-mapped units z, expressed in the raw units of the data. Post-processing of the releases only.
    /// </summary>
    public Programs.Standardiser FromNoisyStatistics(IReadOnlyList<double> noisySums, IReadOnlyList<double> noisyDeviations, long rows)
    {
        Programs.Standardiser bounds = PublicStandardiser();
        int d = LowerBounds.Count;
        var mean = new double[d];
        var sd = new double[d];
        for (int j = 0; j < d; j++)
        {
            double mu = Math.Clamp(noisySums[j] / rows, -1, 1);
            double scale = Math.Max(DeviationToScale * noisyDeviations[j] / rows, StatisticsScaleFloor);
            mean[j] = bounds.Mean[j] + mu * bounds.StandardDeviation[j];
            sd[j] = scale * bounds.StandardDeviation[j];
        }
        return new Programs.Standardiser(mean, sd);
    }

    /// <summary>The centre <paramref name="noisySums"/> gives, in bounds-mapped units: clamp(Σz/n, −1, 1) per feature.</summary>
    public static double[] NoisyCentre(IReadOnlyList<double> noisySums, long rows) => noisySums.Select(s => Math.Clamp(s / rows, -1, 1)).ToArray();

    /// <summary>Per feature, Σ clamp(x, lo, hi) mapped to [−1, 1] over <paramref name="rows"/> (first d values), then —
    /// with <paramref name="centre"/> — Σ|z − centre| (the deviations' release): what each party sums over its own rows.</summary>
    public double[] StatisticsSums(Programs.PartyRows rows, double[]? centre)
    {
        int d = rows.Columns;
        double[] z = PublicStandardiser().Apply(rows, 1.0);
        var sums = new double[d];
        for (int i = 0; i < z.Length; i++)
        {
            sums[i % d] += centre is null ? z[i] : Math.Abs(z[i] - centre[i % d]);
        }
        return sums;
    }

    /// <summary>The largest noise multiplier a spec may ask for.</summary>
    public const double MaxNoiseMultiplier = 1e4;

    /// <summary>The largest clip norm (the clip factor's input range is 2^21 in units of C²).</summary>
    public const double MaxClipNorm = 1e3;

    /// <summary>
    /// How much a clipped gradient's norm may exceed C on shares, relative to C, for a model of
    /// <paramref name="parameters"/> parameters at <paramref name="fractionalBits"/> bits: the clip factor's tested
    /// error (2^-12 relative, 2^-15 absolute, the latter times the largest norm the factor covers, 2^10.5·C:
    /// 2^-4.5) and the truncation of the clipped sum (one unit in the last place per coordinate: √P·2^-f, over C).
    /// The accountant uses σ/(1 + allowance): 0.044 for a logistic model at C = 1.
    /// </summary>
    public double SensitivityAllowance(long parameters, int fractionalBits) =>
        Math.Pow(2, -12) + Math.Pow(2, -4.5) + Math.Sqrt(parameters) * Math.Pow(2, -fractionalBits) / ClipNorm;

    /// <summary>The noise multiplier the accountant uses: σ over the sensitivity's allowance (<see cref="SensitivityAllowance"/>).</summary>
    public double AccountedNoiseMultiplier(long parameters, int fractionalBits) =>
        NoiseMultiplier / (1 + SensitivityAllowance(parameters, fractionalBits));

    /// <summary>The parties whose noise the guarantee relies on: n − t (1 by default).</summary>
    public int HonestParties(int parties) => parties - (ToleratedCoalition ?? parties - 1);

    /// <summary>Every problem with this spec for <paramref name="features"/> features and <paramref name="parties"/> parties (empty when valid).</summary>
    public IReadOnlyList<string> Validate(int features, int parties)
    {
        var problems = new List<string>();
        if (!(NoiseMultiplier > 0 && NoiseMultiplier <= MaxNoiseMultiplier))
        {
            problems.Add($"the noise multiplier must be in (0, {MaxNoiseMultiplier}], not {NoiseMultiplier}.");
        }
        if (!(ClipNorm > 0 && ClipNorm <= MaxClipNorm))
        {
            problems.Add($"the clip norm must be in (0, {MaxClipNorm}], not {ClipNorm}.");
        }
        if (LowerBounds.Count != features || UpperBounds.Count != features)
        {
            problems.Add($"a DP session needs public bounds for each of the {features} features ({LowerBounds.Count} lower and {UpperBounds.Count} upper given).");
        }
        else
        {
            for (int j = 0; j < features; j++)
            {
                if (!(double.IsFinite(LowerBounds[j]) && double.IsFinite(UpperBounds[j]) && LowerBounds[j] < UpperBounds[j]))
                {
                    problems.Add($"feature {j}'s public bounds must be finite with lower < upper, not [{LowerBounds[j]}, {UpperBounds[j]}].");
                }
            }
        }
        if (StatisticsNoiseMultiplier is { } ss && !(ss > 0 && ss <= MaxNoiseMultiplier))
        {
            problems.Add($"the statistics' noise multiplier must be in (0, {MaxNoiseMultiplier}], not {ss}.");
        }
        if (ToleratedCoalition is { } t && (t < 0 || t >= parties))
        {
            problems.Add($"the tolerated coalition must be between 0 and {parties - 1} parties, not {t}.");
        }
        return problems;
    }

    /// <summary>
    /// The standardisation by the public bounds: mean = the midpoint, deviation = the half-width, values clamped to ±1
    /// — so clamp(x, lo, hi) maps onto [−1, 1]. A function of each value and public numbers only: it releases nothing.
    /// </summary>
    public Programs.Standardiser PublicStandardiser() =>
        new(LowerBounds.Select((lo, j) => (lo + UpperBounds[j]) / 2).ToArray(), LowerBounds.Select((lo, j) => (UpperBounds[j] - lo) / 2).ToArray());
}
