using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace SecureCompute.Learning.Privacy.Accounting;

/// <summary>A privacy loss random variable discretised on a grid: a probability per grid point.</summary>
internal sealed class DiscretePrivacyLoss
{
    /// <summary>The probability mass at each point of <see cref="Domain"/>.</summary>
    public double[] Mass { get; }

    /// <summary>The grid.</summary>
    public PrvDomain Domain { get; }

    private DiscretePrivacyLoss(double[] mass, PrvDomain domain)
    {
        (Mass, Domain) = (mass, domain);
    }

    /// <summary>
    /// Discretises <paramref name="loss"/> on <paramref name="domain"/>: each point gets the mass of its cell, and the
    /// grid moves so that the discrete mean equals the continuous one (the correction is below half a cell).
    /// </summary>
    public static DiscretePrivacyLoss Discretise(SubsampledGaussianLoss loss, PrvDomain domain)
    {
        var mass = new double[domain.Size];
        double half = domain.Step / 2, discreteMean = 0;
        for (int i = 0; i < domain.Size; i++)
        {
            double t = domain[i];
            mass[i] = loss.Cdf(t + half) - loss.Cdf(t - half);
            discreteMean += t * mass[i];
        }
        double shift = loss.Mean() - discreteMean;
        if (Math.Abs(shift) >= half)
        {
            throw new InvalidOperationException("The discretised privacy loss's mean differs from the continuous mean by half a cell or more.");
        }
        return new DiscretePrivacyLoss(mass, domain.ShiftRight(shift));
    }

    /// <summary>The loss of <paramref name="times"/> independent runs: the pmf's FFT to that power, rolled back onto the grid.</summary>
    public DiscretePrivacyLoss SelfCompose(long times)
    {
        int n = Mass.Length;
        var spectrum = Mass.Select(m => new Complex(m, 0)).ToArray();
        Fourier.Forward(spectrum, FourierOptions.Matlab);
        for (int k = 0; k < n; k++)
        {
            spectrum[k] = Complex.Pow(spectrum[k], times);
        }
        Fourier.Inverse(spectrum, FourierOptions.Matlab);
        // A sum of `times` grid indices lands (times − 1)·Min/Step off the grid's start; Min = −(n/2 − 1)·Step.
        long roll = (times - 1 + (times % 2 == 0 ? n / 2 : 0)) % n;
        var composed = new double[n];
        for (int k = 0; k < n; k++)
        {
            composed[(k + roll) % n] = spectrum[k].Real;
        }
        return new DiscretePrivacyLoss(composed, Domain.ShiftRight(Domain.Shift * (times - 1)));
    }

    /// <summary>The loss of running this and <paramref name="other"/> (on a grid of the same shape): their linear convolution's middle.</summary>
    public DiscretePrivacyLoss Compose(DiscretePrivacyLoss other)
    {
        int n = Mass.Length, padded = 2 * n; // n is a power of two (PrvDomain.Symmetric)
        var a = new Complex[padded];
        var b = new Complex[padded];
        for (int k = 0; k < n; k++)
        {
            a[k] = Mass[k];
            b[k] = other.Mass[k];
        }
        Fourier.Forward(a, FourierOptions.Matlab);
        Fourier.Forward(b, FourierOptions.Matlab);
        for (int k = 0; k < padded; k++)
        {
            a[k] *= b[k];
        }
        Fourier.Inverse(a, FourierOptions.Matlab);
        int start = (n - 1) / 2;
        var mass = new double[n];
        for (int k = 0; k < n; k++)
        {
            mass[k] = a[start + k].Real;
        }
        return new DiscretePrivacyLoss(mass, Domain.ShiftRight(other.Domain.Shift));
    }

    /// <summary>
    /// ε at δ from the composed loss: δ(ε) = Σ_{t ≥ ε} p(t)(1 − e^{ε − t}); the smallest grid ε with δ(ε) ≤ δ,
    /// returned as (lower, estimate, upper) with the grid's error bounds (Gopi et al. 2021, Theorem 5.5).
    /// </summary>
    public (double Lower, double Estimate, double Upper) Epsilon(double delta, double deltaError, double epsilonError)
    {
        int n = Mass.Length;
        if (Math.Pow(2, -52) * n > delta - deltaError)
        {
            throw new ArgumentException("Floating-point error would dominate at so small a δ: ask for a larger δ or a larger ε error.");
        }
        var tail = new double[n];         // d1: Σ_{j ≥ i} p_j
        var weightedTail = new double[n]; // d2: Σ_{j ≥ i} p_j e^{−t_j}
        double s1 = 0, s2 = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            s1 += Mass[i];
            s2 += Mass[i] * Math.Exp(-Domain[i]);
            tail[i] = s1;
            weightedTail[i] = s2;
        }
        double Find(double target)
        {
            // The first i with e^{t_i}·d2_i − d1_i ≥ −target (the sequence is non-decreasing).
            int lo = 0, hi = n;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (Math.Exp(Domain[mid]) * weightedTail[mid] - tail[mid] < -target)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            if (lo <= 0 || lo >= n)
            {
                throw new InvalidOperationException("The privacy loss grid is too narrow to bound ε at this δ.");
            }
            return Math.Log((tail[lo] - target) / weightedTail[lo]);
        }
        return (Find(delta + deltaError) - epsilonError, Find(delta), Find(delta - deltaError) + epsilonError);
    }
}
