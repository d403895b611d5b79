namespace SecureCompute.Learning.Privacy.Accounting;

/// <summary>
/// Numerical composition of privacy loss random variables (Gopi, Lee and Wutschitz 2021), as Opacus'
/// <c>PRVAccountant</c> builds it; tighter than RDP, and its ε carries a stated error bound.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Choose the grid: half-width L = max(ε_RDP(δ_err/4) of the whole history, ε_RDP(δ_err/(8T)) of one step of
/// each stretch, ε_err) + 3, spacing ε_err/√(T·log(12/δ_err)/2) (Remark 5.6), its size rounded up to a power of two.</item>
/// <item>Truncate each stretch's loss to [−L, L] and discretise it, mean-corrected.</item>
/// <item>Compose each stretch with itself by FFT (its pmf's transform to the T-th power), then the stretches pairwise.</item>
/// <item>Read ε at δ ± δ_err off the composed loss; report the upper end (estimate + ε_err): a guarantee, not an estimate.</item>
/// </list>
/// </remarks>
public sealed class PrvAccountant(double epsilonError = 0.01, double? deltaError = null) : IPrivacyAccountant
{
    /// <inheritdoc />
    public AccountantKind Kind => AccountantKind.Prv;

    /// <inheritdoc />
    public PrivacyGuarantee Epsilon(IReadOnlyList<SampledGaussian> history, double delta)
    {
        SampledGaussian.EnsureValid(history);
        PrivacyAccountants.EnsureDelta(delta);
        if (!(epsilonError > 0 && epsilonError < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilonError), epsilonError, "The ε error must be in (0, 1).");
        }
        double deltaErr = deltaError ?? delta / 1000;
        long total = history.Sum(h => h.Steps);

        var rdp = new RdpAccountant();
        double halfWidth = rdp.Epsilon(history, deltaErr / 4).Epsilon;
        foreach (var stretch in history)
        {
            halfWidth = Math.Max(halfWidth, rdp.Epsilon([stretch with { Steps = 1 }], deltaErr / (8.0 * total)).Epsilon);
        }
        halfWidth = Math.Max(halfWidth, epsilonError) + 3;
        double step = epsilonError / Math.Sqrt(total * Math.Log(12 / deltaErr) / 2);
        var domain = PrvDomain.Symmetric(halfWidth, step);

        var composed = history
            .Select(h => DiscretePrivacyLoss.Discretise(new SubsampledGaussianLoss(h.SampleRate, h.NoiseMultiplier, domain.Min, domain.Max), domain).SelfCompose(h.Steps))
            .ToList();
        while (composed.Count > 1)
        {
            var next = new List<DiscretePrivacyLoss>();
            if (composed.Count % 2 == 1)
            {
                next.Add(composed[^1]);
                composed.RemoveAt(composed.Count - 1);
            }
            for (int k = 0; k + 1 < composed.Count; k += 2)
            {
                next.Add(composed[k].Compose(composed[k + 1]));
            }
            composed = next;
        }
        var (_, estimate, upper) = composed[0].Epsilon(delta, deltaErr, epsilonError);
        return new PrivacyGuarantee(upper, delta, AccountantKind.Prv, EpsilonEstimate: estimate);
    }
}
