using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

/// <summary>
/// Reciprocal and inverse square root on inputs log-uniform over the supported range [2^-8, 2^15), against float64
/// on the encoded inputs (the encoding itself is exact to 2^-17 and not what is tested).
/// </summary>
/// <remarks>
/// Error budget, u = 2^-16: the normalised input x_n ∈ [¼, 1) is off by ≤ 1 unit (relative 2^-14); each Newton step
/// adds a few units on y ∈ (1, 2] (relative ≤ 2^-13 over all steps) and leaves a residual of 1.2·10^-5 (reciprocal,
/// two steps) or 5·10^-8 (inverse square root, three steps); scaling back keeps the relative error and adds one unit. So |r − f(x)| ≤ 2^-12·|f(x)| + 2u,
/// which the tests use; a wrong step, exponent or scale is off by far more (≥ 2^-8 relative).
/// </remarks>
public class NewtonTests
{
    private const double Unit = 1.0 / (1 << 16);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ReciprocalOverTheRange(int parties) =>
        Check(parties, (mpc, x) => mpc.Reciprocal(x), v => 1 / v, 20);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void InverseSqrtOverTheRange(int parties) =>
        Check(parties, (mpc, x) => mpc.InverseSqrt(x), v => 1 / Math.Sqrt(v), 30);

    /// <summary>
    /// The clip factor min(1, 2^−shift/√x) on fresh log-uniform inputs over [2^-12, 2^17) — below the clip threshold,
    /// across it, through the covered range and past its top — and at the bucket edges around the threshold and the top.
    /// </summary>
    /// <remarks>Tolerance: exactly 1 below the threshold (the factor is then the encoding of 1, no arithmetic); within the
    /// inverse square root's tested bound (2^-12 relative + 2 units) in range; within 2 units of 0 at or past 2^15,
    /// where the factor is y·0 truncated.</remarks>
    [Theory]
    [InlineData(3, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 3)]
    public void ClipFactorIsOneBelowTheThresholdTheInverseSqrtAboveAndZeroPastTheTop(int parties, int shift)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(parties);
        var values = rand(3000, dtype: ScalarType.Float64).mul_(29).sub_(12).exp2_();
        double threshold = Math.Pow(2, -2 * shift), top = Math.Pow(2, MpcEngine.HighestExponent + 1);
        double[] edges = { threshold * (1 - 1e-3), threshold, threshold * (1 + 1e-3), top * (1 - 1e-4), top, top * (1 + 1e-3), 0, 1e-6 };
        Tensor x = cat(new[] { values, tensor(edges) }, 0);
        double[] inputs = Reference.Doubles(mpc.Format.Decode(mpc.Format.Encode(x)));
        SharedTensor shared = mpc.ShareReal(x, 0);
        mpc.ResetCounters();
        SharedTensor result = mpc.ClipFactor(shared, shift);
        Assert.Equal(30, mpc.Rounds);
        double[] got = Reference.Doubles(mpc.OpenReal(result));
        int below = 0, inRange = 0, over = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            double v = inputs[i];
            if (v < threshold)
            {
                below++;
                Assert.True(got[i] == 1.0, $"input {v:R} is below the threshold {threshold}: factor {got[i]:R}, not 1");
            }
            else if (v >= top)
            {
                over++;
                Assert.True(Math.Abs(got[i]) <= 2 * Unit, $"input {v:R} is past the top: factor {got[i]:R}, not 0");
            }
            else
            {
                inRange++;
                double expected = Math.Pow(2, -shift) / Math.Sqrt(v);
                double tolerance = Math.Pow(2, -12) * expected + 2 * Unit;
                Assert.True(Math.Abs(got[i] - expected) <= tolerance, $"input {v:R}: got {got[i]:R}, expected {expected:R} ± {tolerance:E2}");
            }
        }
        // Every case was exercised (the log-uniform draw puts hundreds in each).
        Assert.True(below > 50 && inRange > 500 && over > 50, $"{below} below, {inRange} in range, {over} over");
    }

    [Fact]
    public void ClipFactorRefusesAShiftItsBucketsCannotSeparate()
    {
        using var mpc = new MpcEngine(2);
        using SharedTensor shared = mpc.ShareReal(tensor(new[] { 1.0 }), 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => mpc.ClipFactor(shared, MpcEngine.MaxClipShift + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => mpc.ClipFactor(shared, -1));
    }

    private static void Check(int parties, Func<MpcEngine, SharedTensor, SharedTensor> secure, Func<double, double> f, int rounds)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(parties);
        // log-uniform over [2^-8, 2^15), plus every power of two and its neighbours.
        var values = rand(4000, dtype: ScalarType.Float64).mul_(23).sub_(8).exp2_().to_type(ScalarType.Float64);
        double[] edges = Enumerable.Range(-8, 23).SelectMany(e => new[] { Math.Pow(2, e), Math.Pow(2, e) * (1 + 1e-3), Math.Pow(2, e + 1) * (1 - 1e-3) }).ToArray();
        Tensor x = cat(new[] { values, tensor(edges) }, 0);
        Tensor encoded = mpc.Format.Decode(mpc.Format.Encode(x));
        SharedTensor shared = mpc.ShareReal(x, 0);
        mpc.ResetCounters();
        SharedTensor result = secure(mpc, shared);
        Assert.Equal(rounds, mpc.Rounds);
        double[] got = Reference.Doubles(mpc.OpenReal(result));
        double[] inputs = Reference.Doubles(encoded);
        for (int i = 0; i < inputs.Length; i++)
        {
            double expected = f(inputs[i]);
            double tolerance = Math.Pow(2, -12) * expected + 2 * Unit;
            Assert.True(Math.Abs(got[i] - expected) <= tolerance, $"input {inputs[i]:R}: got {got[i]:R}, expected {expected:R} ± {tolerance:E2}");
        }
    }
}
