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
    /// <summary>The budget share the private statistics take by default (<see cref="Calibrate"/>): 30% of the session's
    /// Gaussian precision, measured best on the breast-cancer frontier among 10–40% (docs/benchmarks.md).</summary>
    public const double DefaultStatisticsShare = 0.3;

    /// <summary>The history the accountant composes for <paramref name="epochs"/> epochs at accounted multiplier
    /// <paramref name="accountedSigma"/>, after the two statistics releases at <paramref name="accountedStatisticsSigma"/> when given.</summary>
    public static IReadOnlyList<SampledGaussian> History(double accountedSigma, int epochs, double? accountedStatisticsSigma = null) =>
        accountedStatisticsSigma is { } s
            ? [new SampledGaussian(s, 1.0, 2), new SampledGaussian(accountedSigma, 1.0, epochs)]
            : [new SampledGaussian(accountedSigma, 1.0, epochs)];

    /// <summary>The history <paramref name="privacy"/> spends over <paramref name="epochs"/> epochs of <paramref name="model"/> at <paramref name="fractionalBits"/>.</summary>
    public static IReadOnlyList<SampledGaussian> History(DpSgdSpec privacy, ModelSpec model, int epochs, int fractionalBits) =>
        History(privacy.AccountedNoiseMultiplier(ModelBuilder.ParameterCount(model), fractionalBits), epochs, privacy.AccountedStatisticsNoiseMultiplier(fractionalBits));

    /// <summary>The (ε, δ) that <paramref name="privacy"/> spends over <paramref name="epochs"/> epochs of <paramref name="model"/> at <paramref name="fractionalBits"/>.</summary>
    public static PrivacyGuarantee Guarantee(DpSgdSpec privacy, ModelSpec model, int epochs, int fractionalBits, double delta, AccountantKind accountant = AccountantKind.Rdp) =>
        PrivacyAccountants.For(accountant).Epsilon(History(privacy, model, epochs, fractionalBits), delta);

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

    /// <summary>
    /// σ and σ_s for a target (ε, δ) when the statistics are private and take <paramref name="statisticsShare"/> of the
    /// budget. Every release is a Gaussian at sample rate 1, so E steps at σ and two at σ_s compose exactly to one
    /// Gaussian of multiplier σ₁ = (E/σ² + 2/σ_s²)^-1/2: calibrate σ₁ for one step, then give the statistics the
    /// share f of the precision 1/σ₁² — σ_s = σ₁·√(2/f), σ = σ₁·√(E/(1 − f)) — and check the composed history
    /// (raising σ₁ by 0.1% until it holds, for an accountant whose composition is not exact).
    /// </summary>
    /// <returns>The multipliers to run with (each times its allowance) and the composed history's guarantee, ≤ <paramref name="epsilon"/>.</returns>
    public static (double Sigma, double StatisticsSigma, PrivacyGuarantee Guarantee) CalibrateWithStatistics(double epsilon, double delta, double clipNorm,
        ModelSpec model, int epochs, int fractionalBits, double statisticsShare = DefaultStatisticsShare, AccountantKind accountant = AccountantKind.Rdp)
    {
        if (!(statisticsShare > 0 && statisticsShare < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(statisticsShare), statisticsShare, "The statistics' share of the budget must be in (0, 1).");
        }
        IPrivacyAccountant accounting = PrivacyAccountants.For(accountant);
        var (single, _) = NoiseCalibration.NoiseMultiplier(accounting, epsilon, delta, 1.0, 1);
        var probe = new DpSgdSpec(1, clipNorm, Array.Empty<double>(), Array.Empty<double>());
        double allowance = probe.SensitivityAllowance(ModelBuilder.ParameterCount(model), fractionalBits);
        double statisticsAllowance = DpSgdSpec.StatisticsAllowance(fractionalBits);
        for (int attempt = 0; ; attempt++)
        {
            double sigma = single * Math.Sqrt(epochs / (1 - statisticsShare));
            double statistics = single * Math.Sqrt(2 / statisticsShare);
            PrivacyGuarantee guarantee = accounting.Epsilon(History(sigma, epochs, statistics), delta);
            if (guarantee.Epsilon <= epsilon || attempt == 200)
            {
                if (guarantee.Epsilon > epsilon)
                {
                    throw new InvalidOperationException($"No noise multiplier met ε = {epsilon} for the composed history (reached {guarantee.Epsilon}).");
                }
                return (sigma * (1 + allowance), statistics * (1 + statisticsAllowance), guarantee);
            }
            single *= 1.001;
        }
    }
}
