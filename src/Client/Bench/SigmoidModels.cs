using SecureCompute.Mpc.Approximations;

namespace SecureCompute.Client.Bench;

/// <summary>
/// Float64 models of sigmoid approximations (approximation error only, no fixed-point noise) over [−64, 64]: the
/// clipped Chebyshev series by degree, and CrypTen's default reciprocal method, for the table in docs/protocols.md.
/// </summary>
internal static class SigmoidModels
{
    private const double Bound = 64;
    private const int Points = 256_001;

    /// <summary>Lines of the table: method, rounds here, max and mean |error| on [−64, 64].</summary>
    public static IReadOnlyList<string> Table()
    {
        var lines = new List<string> { "float64 models on [-64, 64] (approximation error only):", "method | rounds | max |error| | mean |error|" };
        foreach (int degree in new[] { 7, 9, 11, 15, 21 })
        {
            var approximation = ChebyshevApproximation.Fit("sigmoid", Sigmoid, -8, 8, degree);
            var (max, mean) = Errors(approximation.Evaluate);
            lines.Add($"clipped Chebyshev [-8, 8], degree {degree} | {approximation.Rounds} | {max:E2} | {mean:E2}");
        }
        var (cMax, cMean) = Errors(CrypTenReciprocal);
        lines.Add($"CrypTen reciprocal (exp by 8 squarings, 10 Newton steps) | {CrypTenRoundsHere} here, ~45 in CrypTen's 2PC | {cMax:E2} | {cMean:E2}");
        return lines;
    }

    /// <summary>
    /// Rounds of CrypTen's method with this system's protocols, where truncation is its own round: sign 8, |x| 1,
    /// exp (scale 1 + 8 squarings × 2) 17, initial guess exp 17 + scale 1, 10 Newton steps × 2 products × 2 = 40, select 1.
    /// </summary>
    public const int CrypTenRoundsHere = 8 + 1 + 17 + 18 + 40 + 1;

    /// <summary>CrypTen's default sigmoid: 1 / (1 + exp(−|x|)) with exp as (1 + x/2^8)^(2^8) and Newton reciprocal.</summary>
    public static double CrypTenReciprocal(double x)
    {
        double positive = Math.Abs(x);
        double denominator = 1 + LimitExp(-positive);
        double y = 3 * LimitExp(1 - 2 * denominator) + 0.003;
        for (int i = 0; i < 10; i++)
        {
            y *= 2 - denominator * y;
        }
        return x < 0 ? 1 - y : y;
    }

    private static double LimitExp(double x)
    {
        double y = 1 + x / 256;
        for (int i = 0; i < 8; i++)
        {
            y *= y;
        }
        return y;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static (double Max, double Mean) Errors(Func<double, double> f)
    {
        double max = 0, sum = 0;
        for (int i = 0; i < Points; i++)
        {
            double x = -Bound + 2 * Bound * i / (Points - 1);
            double error = Math.Abs(f(x) - Sigmoid(x));
            max = Math.Max(max, error);
            sum += error;
        }
        return (max, sum / Points);
    }
}
