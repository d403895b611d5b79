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
/// <remarks>
/// What a DP session releases: the model only (no per-epoch loss, no statistics, no evaluation), so the model's ε is
/// the session's. The accounting (docs/privacy.md): batches are public, so no amplification by sampling is claimed;
/// each epoch's batches are disjoint, so one row is in at most one step per epoch, and E epochs are E adaptive
/// Gaussian mechanisms with sensitivity C (add/remove of a row, realised as zeroing its slot) and noise multiplier σ
/// — the RDP of the sampled Gaussian at sample rate 1, E steps — with σ reduced by <see cref="SensitivityAllowance"/>.
/// </remarks>
public sealed record DpSgdSpec(double NoiseMultiplier, double ClipNorm, IReadOnlyList<double> LowerBounds, IReadOnlyList<double> UpperBounds,
    int? ToleratedCoalition = null)
{
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
