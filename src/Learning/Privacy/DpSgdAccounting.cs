using SecureCompute.Learning.Models;
using SecureCompute.Learning.Privacy.Accounting;

namespace SecureCompute.Learning.Privacy;

/// <summary>
/// How a DP-SGD program of the learning layer is accounted: public disjoint batches, so each epoch is one Gaussian
/// mechanism per row (sample rate 1, steps = epochs, no amplification claimed), with the noise multiplier reduced by
/// the sensitivity allowance (<see cref="DpSgdSpec.AccountedNoiseMultiplier"/>); the model is the only release.
/// </summary>
/// <remarks>Every party computes the same σ from the same public numbers, so no one has to be trusted to choose it.</remarks>
public static class DpSgdAccounting
{
    /// <summary>The history the accountant composes for <paramref name="epochs"/> epochs at accounted multiplier <paramref name="accountedSigma"/>.</summary>
    public static IReadOnlyList<SampledGaussian> History(double accountedSigma, int epochs) => [new SampledGaussian(accountedSigma, 1.0, epochs)];

    /// <summary>The (ε, δ) that <paramref name="privacy"/> spends over <paramref name="epochs"/> epochs of <paramref name="model"/> at <paramref name="fractionalBits"/>.</summary>
    public static PrivacyGuarantee Guarantee(DpSgdSpec privacy, ModelSpec model, int epochs, int fractionalBits, double delta, AccountantKind accountant = AccountantKind.Rdp) =>
        PrivacyAccountants.For(accountant).Epsilon(History(privacy.AccountedNoiseMultiplier(ModelBuilder.ParameterCount(model), fractionalBits), epochs), delta);

    /// <summary>
    /// The σ to run with for a target (ε, δ): the accountant's calibrated multiplier times (1 + the sensitivity
    /// allowance); its guarantee is ≤ <paramref name="epsilon"/>.
    /// </summary>
    public static (double Sigma, double AccountedSigma, PrivacyGuarantee Guarantee) Calibrate(double epsilon, double delta, double clipNorm, ModelSpec model,
        int epochs, int fractionalBits, AccountantKind accountant = AccountantKind.Rdp)
    {
        var (accounted, guarantee) = NoiseCalibration.NoiseMultiplier(PrivacyAccountants.For(accountant), epsilon, delta, 1.0, epochs);
        var probe = new DpSgdSpec(1, clipNorm, Array.Empty<double>(), Array.Empty<double>());
        return (accounted * (1 + probe.SensitivityAllowance(ModelBuilder.ParameterCount(model), fractionalBits)), accounted, guarantee);
    }
}
