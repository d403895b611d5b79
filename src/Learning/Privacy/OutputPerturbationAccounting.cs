using SecureCompute.Learning.Privacy.Accounting;

namespace SecureCompute.Learning.Privacy;

/// <summary>
/// How output perturbation is accounted: one Gaussian mechanism (sample rate 1, one step) of multiplier σ on a
/// release whose L2 sensitivity is <see cref="OutputPerturbationSpec.Sensitivity"/>; the noised model is the only release.
/// </summary>
/// <remarks>Every party computes the same σ from the same public numbers, as for DP-SGD.</remarks>
public static class OutputPerturbationAccounting
{
    /// <summary>The history the accountant composes: one Gaussian mechanism of multiplier <paramref name="sigma"/>.</summary>
    public static IReadOnlyList<SampledGaussian> History(double sigma) => [new SampledGaussian(sigma, 1.0, 1)];

    /// <summary>The (ε, δ) a release with noise multiplier <paramref name="sigma"/> spends.</summary>
    public static PrivacyGuarantee Guarantee(double sigma, double delta, AccountantKind accountant = AccountantKind.Prv) =>
        PrivacyAccountants.For(accountant).Epsilon(History(sigma), delta);

    /// <summary>The σ for a target (ε, δ); its guarantee is ≤ <paramref name="epsilon"/>.</summary>
    /// <remarks>PRV by default: for one Gaussian mechanism RDP's conversion overstates ε by ~30% at ε = 1.</remarks>
    public static (double Sigma, PrivacyGuarantee Guarantee) Calibrate(double epsilon, double delta, AccountantKind accountant = AccountantKind.Prv) =>
        NoiseCalibration.NoiseMultiplier(PrivacyAccountants.For(accountant), epsilon, delta, 1.0, 1);
}
