namespace SecureCompute.Mpc.Approximations;

/// <summary>
/// A function approximated on [Lower, Upper] by a Chebyshev series in t = (2x − Lower − Upper) / (Upper − Lower),
/// with x first clipped to the interval (so outside it the value is the series at the nearer end).
/// </summary>
/// <param name="Name">What is approximated, for tables and errors.</param>
/// <param name="Function">The exact function (float64), used for the fit and as the tests' reference.</param>
/// <param name="Lower">Lower end of the fitted interval.</param>
/// <param name="Upper">Upper end of the fitted interval.</param>
/// <param name="Series">The fitted series in t.</param>
public sealed record ChebyshevApproximation(string Name, Func<double, double> Function, double Lower, double Upper, ChebyshevSeries Series)
{
    /// <summary>
    /// Sigmoid on [−8, 8], degree 15, chosen by measurement (docs/protocols.md): max error 1.3·10^-3 and mean 7.7·10^-4
    /// over [−64, 64] in float64, against 2.6·10^-2 for degree 7 — two more rounds for a 20× smaller error.
    /// </summary>
    public static ChebyshevApproximation Sigmoid { get; } = Fit("sigmoid", x => 1 / (1 + Math.Exp(-x)), -8, 8, 15);

    /// <summary>exp on [−16, 0] (softmax uses exp(x − max x) ≤ 1), degree 15; below −16 it returns the series at −16.</summary>
    public static ChebyshevApproximation ExpNonPositive { get; } = Fit("exp", Math.Exp, -16, 0, 15);

    /// <summary>Fits <paramref name="function"/> on [<paramref name="lower"/>, <paramref name="upper"/>] up to <paramref name="degree"/>.</summary>
    public static ChebyshevApproximation Fit(string name, Func<double, double> function, double lower, double upper, int degree)
    {
        if (!(lower < upper))
        {
            throw new ArgumentException($"The interval [{lower}, {upper}] is empty.");
        }
        double half = (upper - lower) / 2, middle = (upper + lower) / 2;
        return new ChebyshevApproximation(name, function, lower, upper, new ChebyshevSeries(t => function(middle + half * t), degree));
    }

    /// <summary>The plaintext value of the approximation at x (clip, map, evaluate).</summary>
    public double Evaluate(double x)
    {
        double clipped = Math.Clamp(x, Lower, Upper);
        return Series.Evaluate((2 * clipped - Lower - Upper) / (Upper - Lower));
    }

    /// <summary>
    /// Bounds on every value the secure evaluation can return: c_0 ± Σ_(k≥1) |c_k|, since every T_k(t) lies in [−1, 1]
    /// for the clipped t, widened by 2^-10 for the fixed-point error the terms carry (a few units of 2^-f each).
    /// </summary>
    public (double Lower, double Upper) OutputBounds
    {
        get
        {
            IReadOnlyList<double> c = Series.Coefficients;
            double spread = c.Skip(1).Sum(Math.Abs) + Math.Pow(2, -10);
            return (c[0] - spread, c[0] + spread);
        }
    }

    /// <summary>Rounds of the secure evaluation: 9 (clip, with the map riding in its first open) + 2 per doubling level + 1 (weighted sum).</summary>
    public int Rounds => 9 + 2 * (int)Math.Ceiling(Math.Log2(Math.Max(2, Series.Degree))) + 1;
}
