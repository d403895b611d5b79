namespace SecureCompute.Learning.Privacy.Accounting;

/// <summary>
/// The noise multiplier that meets a target ε: Opacus' <c>get_noise_multiplier</c> — double σ from 20 until ε ≤ target,
/// then bisect until ε is within the tolerance below the target. The σ returned always meets the target.
/// </summary>
public static class NoiseCalibration
{
    /// <summary>The largest σ the search tries before it declares the budget too small.</summary>
    public const double MaxNoiseMultiplier = 1e6;

    /// <summary>A σ whose ε at <paramref name="delta"/>, over <paramref name="steps"/> steps at <paramref name="sampleRate"/>, is ≤ <paramref name="targetEpsilon"/> and within <paramref name="tolerance"/> of it.</summary>
    public static (double NoiseMultiplier, PrivacyGuarantee Achieved) NoiseMultiplier(
        IPrivacyAccountant accountant, double targetEpsilon, double delta, double sampleRate, long steps, double tolerance = 0.01)
    {
        ArgumentNullException.ThrowIfNull(accountant);
        if (!(targetEpsilon > 0) || double.IsInfinity(targetEpsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(targetEpsilon), targetEpsilon, "The target ε must be a positive finite number.");
        }
        if (!(tolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be positive.");
        }
        PrivacyGuarantee At(double sigma) => accountant.Epsilon([new SampledGaussian(sigma, sampleRate, steps)], delta);

        double low = 0, high = 10;
        PrivacyGuarantee highGuarantee;
        do
        {
            high *= 2;
            if (high > MaxNoiseMultiplier)
            {
                throw new ArgumentException($"No noise multiplier up to {MaxNoiseMultiplier:G} meets ε = {targetEpsilon} at δ = {delta}: the budget is too small.");
            }
            highGuarantee = At(high);
        }
        while (highGuarantee.Epsilon > targetEpsilon);

        while (targetEpsilon - highGuarantee.Epsilon > tolerance)
        {
            double sigma = (low + high) / 2;
            var guarantee = At(sigma);
            if (guarantee.Epsilon < targetEpsilon)
            {
                (high, highGuarantee) = (sigma, guarantee);
            }
            else
            {
                low = sigma;
            }
        }
        return (high, highGuarantee);
    }
}
