using MathNet.Numerics;

namespace SecureCompute.Learning.Privacy.Accounting;

/// <summary>Arithmetic on numbers held as their logarithms, where the numbers themselves under- or overflow.</summary>
internal static class LogSpace
{
    /// <summary>log(e^x + e^y).</summary>
    public static double Add(double logX, double logY)
    {
        double a = Math.Min(logX, logY), b = Math.Max(logX, logY);
        return double.IsNegativeInfinity(a) ? b : LogOnePlus(Math.Exp(a - b)) + b;
    }

    /// <summary>log(e^x − e^y) for x ≥ y.</summary>
    public static double Subtract(double logX, double logY)
    {
        if (logX < logY)
        {
            throw new ArgumentException("The result of a subtraction in log space must be non-negative.");
        }
        if (double.IsNegativeInfinity(logY))
        {
            return logX;
        }
        if (logX == logY)
        {
            return double.NegativeInfinity;
        }
        double d = logX - logY;
        // e^d − 1 overflows past d ≈ 709, where log(e^d − 1) = d to double precision.
        return d > 700 ? logX : Math.Log(ExpMinusOne(d)) + logY;
    }

    /// <summary>log(erfc(x)), accurate where erfc(x) underflows.</summary>
    public static double Erfc(double x)
    {
        if (x < 20)
        {
            return Math.Log(SpecialFunctions.Erfc(x));
        }
        // erfc(x) = e^{−x²}/(x√π) · Σ_k (−1)^k (2k−1)!!/(2x²)^k; at x ≥ 20 the terms fall by ≥ 1/400 each.
        double inverseTwoXSquared = 1 / (2 * x * x), term = 1, sum = 1;
        for (int k = 1; k <= 12; k++)
        {
            term *= -(2 * k - 1) * inverseTwoXSquared;
            sum += term;
        }
        return -x * x - Math.Log(x) - 0.5 * Math.Log(Math.PI) + Math.Log(sum);
    }

    private static double LogOnePlus(double x) => x < 1e-4 ? x - x * x / 2 + x * x * x / 3 : Math.Log(1 + x);

    private static double ExpMinusOne(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;
}
