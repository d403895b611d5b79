using SecureCompute.Mpc.Approximations;
using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

/// <summary>
/// Secure non-linear functions against float64 on fresh random inputs.
/// </summary>
/// <remarks>
/// Tolerance = the approximation's own float64 error (measured on a fine grid) + a worst-case bound on the fixed-point
/// evaluation error, propagated through the same recurrence the protocol uses: with u = 2^-16, e(t) ≤ u + u/2 + u/16
/// (map truncation, encoding of x, of the public factor); for T_k = 2·T_a·T_b − T_c with |T| ≤ 1,
/// e_k ≤ 2(e_a + e_b + e_a·e_b) + e_c + 2u (the product's truncation, doubled); the weighted sum adds
/// Σ|c_k|·e_k + Σ u/2 (encoded coefficients) + u (final truncation) + u/2 (c_0).
/// </remarks>
public class ApproximationTests
{
    private const double Unit = 1.0 / (1 << 16);

    public static TheoryData<int> Parties => new() { 2, 3, 5 };

    [Theory]
    [MemberData(nameof(Parties))]
    public void SigmoidMatchesFloat64OnMinus64To64(int parties) =>
        CheckAgainstFloat64(parties, ChebyshevApproximation.Sigmoid, -64, 64, (mpc, x) => mpc.Sigmoid(x));

    [Fact]
    public void ExpMatchesFloat64OnMinus16To0() =>
        CheckAgainstFloat64(3, ChebyshevApproximation.ExpNonPositive, -16, 0, (mpc, x) => mpc.ExpNonPositive(x));

    [Fact]
    public void SigmoidAndExpTakeEighteenRounds()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        SharedTensor x = mpc.ShareReal(tensor(new[] { -3.0, 0.0, 3.0 }), 0);
        mpc.ResetCounters();
        _ = mpc.Sigmoid(x);
        Assert.Equal(18, mpc.Rounds);
        Assert.Equal(18, ChebyshevApproximation.Sigmoid.Rounds);
        mpc.ResetCounters();
        _ = mpc.ExpNonPositive(x);
        Assert.Equal(18, mpc.Rounds);
    }

    [Fact]
    public void ChebyshevSeriesReproducesPolynomialsExactly()
    {
        // x³ − 2x = 0.75·T3 + (0.75·3/3 − 2)·T1 … check by value rather than by hand-derived coefficients.
        var series = new ChebyshevSeries(t => t * t * t - 2 * t, 5);
        foreach (double t in new[] { -1, -0.3, 0, 0.5, 1 })
        {
            Assert.Equal(t * t * t - 2 * t, series.Evaluate(t), 12);
        }
        Assert.Equal(0, series.Coefficients[4], 12);
        Assert.Equal(0, series.Coefficients[5], 12);
    }

    private static void CheckAgainstFloat64(int parties, ChebyshevApproximation approximation, double low, double high,
        Func<MpcEngine, SharedTensor, SharedTensor> secure)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(parties);
        Tensor x = rand(20_000, dtype: ScalarType.Float64).mul_(high - low).add_(low);
        Tensor result = mpc.OpenReal(secure(mpc, mpc.ShareReal(x, 0)));
        double[] xs = Reference.Doubles(x);
        double[] got = Reference.Doubles(result);
        double approximationError = ApproximationError(approximation, low, high);
        double tolerance = approximationError + EvaluationBound(approximation);
        double worst = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(got[i] - approximation.Function(xs[i])));
        }
        Assert.True(worst <= tolerance, $"{approximation.Name}: max error {worst:E3} > {tolerance:E3} (approximation alone {approximationError:E3})");
    }

    private static double ApproximationError(ChebyshevApproximation approximation, double low, double high)
    {
        double worst = 0;
        for (int i = 0; i <= 200_000; i++)
        {
            double x = low + (high - low) * i / 200_000;
            worst = Math.Max(worst, Math.Abs(approximation.Evaluate(x) - approximation.Function(x)));
        }
        return worst;
    }

    private static double EvaluationBound(ChebyshevApproximation approximation)
    {
        int degree = approximation.Series.Degree;
        var e = new double[degree + 1];
        e[1] = Unit + Unit / 2 + Unit / 16;
        for (int k = 2; k <= degree; k++)
        {
            int a = (k + 1) / 2, b = k / 2, c = k % 2;
            e[k] = 2 * (e[a] + e[b] + e[a] * e[b]) + e[c] + 2 * Unit;
        }
        double bound = Unit + Unit / 2;
        for (int k = 1; k <= degree; k++)
        {
            bound += Math.Abs(approximation.Series.Coefficients[k]) * e[k] + Unit / 2;
        }
        return bound;
    }
}
