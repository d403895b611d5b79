using SecureCompute.Mpc.Approximations;

namespace SecureCompute.Learning.Privacy;

/// <summary>
/// Proven bounds on the clipped Chebyshev sigmoid a logistic program evaluates: the least and greatest slope, and the
/// range of its values — what output perturbation's sensitivity needs (the per-example loss whose gradient is
/// (p(w·x) − y)·x has curvature p′(w·x)·xxᵀ, and a gradient of norm ≤ max|p − y|·‖x‖).
/// </summary>
/// <remarks>
/// A Chebyshev fit of a monotone function is not monotone: degree 15 on [−8, 8] dips by a slope of ~0.015 near the
/// clip, where the logistic's own slope is 3·10^-4. So the bounds are computed, not assumed: p′ and p″ have exact
/// Chebyshev coefficients (the derivative recurrence); p′ is evaluated on a grid of step h in t, and between grid
/// points it moves by at most (h/2)·Σ|p″ coefficients| (every |T_k| ≤ 1) — a bound, not an estimate. The same for the
/// range, widened by the secure evaluation's fixed-point allowance (<see cref="ChebyshevApproximation.OutputBounds"/>).
/// Outside the clip interval the function is constant (slope 0).
/// </remarks>
/// <param name="MinSlope">A lower bound on p′(x) over every x (≤ 0).</param>
/// <param name="MaxSlope">An upper bound on p′(x).</param>
/// <param name="Lowest">A lower bound on p(x), the secure evaluation's error included.</param>
/// <param name="Highest">An upper bound on p(x).</param>
public sealed record SigmoidShape(double MinSlope, double MaxSlope, double Lowest, double Highest)
{
    private const int Grid = 20_001;

    /// <summary>The largest |p(x) − y| for a 0/1 label y.</summary>
    public double Residual => Math.Max(Highest, 1 - Lowest);

    /// <summary>The bounds of <paramref name="sigmoid"/>.</summary>
    public static SigmoidShape Of(ChebyshevApproximation sigmoid)
    {
        ArgumentNullException.ThrowIfNull(sigmoid);
        double[] c = sigmoid.Series.Coefficients.ToArray();
        double[] first = Derivative(c), second = Derivative(first);
        double h = 2.0 / (Grid - 1);
        double slopeDrift = h / 2 * second.Sum(Math.Abs), valueDrift = h / 2 * first.Sum(Math.Abs);
        double minSlope = double.MaxValue, maxSlope = double.MinValue, low = double.MaxValue, high = double.MinValue;
        for (int i = 0; i < Grid; i++)
        {
            double t = Math.Min(1, -1 + i * h);
            double slope = Clenshaw(first, t), value = Clenshaw(c, t);
            (minSlope, maxSlope) = (Math.Min(minSlope, slope), Math.Max(maxSlope, slope));
            (low, high) = (Math.Min(low, value), Math.Max(high, value));
        }
        // dp/dx = dp/dt · 2/(U − L); the constant tails contribute slope 0.
        double perX = 2 / (sigmoid.Upper - sigmoid.Lower);
        double fixedPoint = Math.Pow(2, -10);
        return new SigmoidShape(Math.Min(0, (minSlope - slopeDrift) * perX), Math.Max(0, (maxSlope + slopeDrift) * perX),
            low - valueDrift - fixedPoint, high + valueDrift + fixedPoint);
    }

    /// <summary>The Chebyshev coefficients of the series' derivative in t.</summary>
    private static double[] Derivative(double[] c)
    {
        int n = c.Length - 1;
        if (n == 0)
        {
            return [0.0];
        }
        var d = new double[n + 1];
        for (int k = n; k >= 1; k--)
        {
            d[k - 1] = (k + 1 <= n ? d[k + 1] : 0) + 2 * k * c[k];
        }
        d[0] /= 2;
        return d[..n];
    }

    private static double Clenshaw(double[] c, double t)
    {
        double b1 = 0, b2 = 0;
        for (int k = c.Length - 1; k >= 1; k--)
        {
            (b1, b2) = (2 * t * b1 - b2 + c[k], b1);
        }
        return t * b1 - b2 + c[0];
    }
}
