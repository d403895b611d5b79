namespace SecureCompute.Mpc.Approximations;

/// <summary>
/// A truncated Chebyshev series f(t) ≈ Σ c_k T_k(t) on [−1, 1], computed by interpolation at Chebyshev nodes
/// (near-minimax: within a small factor of the best polynomial of the same degree).
/// </summary>
/// <remarks>
/// Coefficients come from the discrete cosine sum c_k = (2 − [k = 0]) / N · Σ_j f(cos θ_j) cos(k θ_j),
/// θ_j = π (j + ½) / N, with N = 4096 nodes. Evaluating in the Chebyshev basis keeps every term in [−1, 1], so fixed
/// point loses no precision to the large, alternating monomial coefficients a high degree would have.
/// </remarks>
public sealed class ChebyshevSeries
{
    private const int Nodes = 4096;

    /// <summary>Fits <paramref name="function"/> on [−1, 1] up to degree <paramref name="degree"/>.</summary>
    public ChebyshevSeries(Func<double, double> function, int degree)
    {
        if (degree is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(degree), degree, "Degree must be between 1 and 64.");
        }
        var coefficients = new double[degree + 1];
        for (int j = 0; j < Nodes; j++)
        {
            double theta = Math.PI * (j + 0.5) / Nodes;
            double value = function(Math.Cos(theta));
            for (int k = 0; k <= degree; k++)
            {
                coefficients[k] += value * Math.Cos(k * theta);
            }
        }
        for (int k = 0; k <= degree; k++)
        {
            coefficients[k] *= (k == 0 ? 1.0 : 2.0) / Nodes;
        }
        Coefficients = coefficients;
    }

    /// <summary>c_0 … c_d.</summary>
    public IReadOnlyList<double> Coefficients { get; }

    /// <summary>The degree d.</summary>
    public int Degree => Coefficients.Count - 1;

    /// <summary>Evaluates the series at t (plaintext reference; Clenshaw's recurrence).</summary>
    public double Evaluate(double t)
    {
        double b1 = 0, b2 = 0;
        for (int k = Degree; k >= 1; k--)
        {
            double b0 = 2 * t * b1 - b2 + Coefficients[k];
            b2 = b1;
            b1 = b0;
        }
        return t * b1 - b2 + Coefficients[0];
    }
}
