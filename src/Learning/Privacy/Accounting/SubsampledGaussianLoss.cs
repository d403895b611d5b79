using MathNet.Numerics;

namespace SecureCompute.Learning.Privacy.Accounting;

/// <summary>
/// The privacy loss random variable of one Poisson-subsampled Gaussian mechanism (Gopi, Lee and Wutschitz 2021,
/// Proposition B4), optionally truncated to [min, max] and renormalised.
/// </summary>
internal sealed class SubsampledGaussianLoss
{
    private readonly double q;
    private readonly double sigma;
    private readonly double min;
    private readonly double max;
    private readonly double cdfMin;
    private readonly double mass;

    /// <summary>The loss of sample rate <paramref name="q"/> and noise multiplier <paramref name="sigma"/>, truncated to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public SubsampledGaussianLoss(double q, double sigma, double min, double max)
    {
        (this.q, this.sigma, this.min, this.max) = (q, sigma, min, max);
        cdfMin = UntruncatedCdf(min);
        mass = UntruncatedCdf(max) - cdfMin;
    }

    /// <summary>P(loss ≤ t) of the untruncated variable.</summary>
    public double UntruncatedCdf(double t)
    {
        if (!(t > Math.Log(1 - q)))
        {
            return 0;
        }
        double z = Math.Log((Math.Exp(t) + q - 1) / q);
        double s2 = sigma * sigma, denominator = 2 * Math.Sqrt(2) * sigma;
        return 1 - q * SpecialFunctions.Erfc((2 * z * s2 - 1) / denominator) / 2 - (1 - q) * SpecialFunctions.Erfc((2 * z * s2 + 1) / denominator) / 2;
    }

    /// <summary>P(loss ≤ t) of the truncated variable.</summary>
    public double Cdf(double t) => t < min ? 0 : t < max ? (UntruncatedCdf(t) - cdfMin) / mass : 1;

    /// <summary>
    /// The truncated variable's mean, E[X] = Σ over pieces [l, r] of (r F(r) − l F(l) − ∫F), integrated on pieces
    /// that are logarithmically finer towards 0, where the loss concentrates.
    /// </summary>
    public double Mean()
    {
        int lower = (int)Math.Log10(Math.Abs(min)), upper = (int)Math.Log10(max);
        var points = new List<double> { min };
        points.AddRange(LogSpaced(lower, -5, 10).Select(p => -p));
        points.Add(0);
        points.AddRange(LogSpaced(-5, upper, 10));
        points.Add(max);
        double mean = 0;
        for (int k = 0; k + 1 < points.Count; k++)
        {
            double left = points[k], right = points[k + 1];
            double integral = MathNet.Numerics.Integrate.OnClosedInterval(Cdf, left, right, 1e-14);
            mean += right * Cdf(right) - left * Cdf(left) - integral;
        }
        return mean;
    }

    private static IEnumerable<double> LogSpaced(double fromExponent, double toExponent, int count) =>
        Enumerable.Range(0, count).Select(i => Math.Pow(10, fromExponent + (toExponent - fromExponent) * i / (count - 1)));
}
