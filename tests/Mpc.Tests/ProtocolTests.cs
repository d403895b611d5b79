using SecureCompute.Mpc.Encoding;
using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

/// <summary>
/// Interactive protocols against an independent float64 reference on fresh random inputs.
/// </summary>
/// <remarks>
/// Tolerances follow from f = 16 fractional bits, u = 2^-16: encoding rounds each input by ≤ u/2, so a product of
/// inputs bounded by X and Y is off by ≤ (X + Y)·u/2 + u²/4 before truncation; truncation adds &lt; u (floor or floor+1).
/// A matrix product over K terms adds the encoding error K times.
/// </remarks>
public class ProtocolTests
{
    private const double Unit = 1.0 / (1 << 16);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void MultiplyFixedMatchesFloat64(int parties)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(parties);
        Tensor x = Uniform(8, 1000, 8);
        Tensor y = Uniform(8, 1000, 8);
        Tensor result = mpc.OpenReal(mpc.MultiplyFixed(mpc.ShareReal(x, 0), mpc.ShareReal(y, parties - 1)));
        double tolerance = (8 + 8) * Unit / 2 + Unit * Unit / 4 + Unit;
        AssertClose(x.mul(y), result, tolerance);
    }

    [Fact]
    public void MultiplyBroadcasts()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        Tensor x = Uniform(4, 20, 30);
        Tensor y = Uniform(4, 30);
        Tensor result = mpc.OpenReal(mpc.MultiplyFixed(mpc.ShareReal(x, 0), mpc.ShareReal(y, 1)));
        AssertClose(x.mul(y), result, 8 * Unit / 2 + 2 * Unit);
    }

    [Fact]
    public void RingProductIsExact()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(4);
        var random = new Random(17);
        Tensor x = Reference.RandomRing(random, 500);
        Tensor y = Reference.RandomRing(random, 500);
        Assert.Equal(Reference.Longs(x.mul(y)), Reference.Reconstruct(mpc.Multiply(mpc.Share(x, 1), mpc.Share(y, 2))));
        Assert.Equal(Reference.Longs(x.mul(x)), Reference.Reconstruct(mpc.Square(mpc.Share(x, 3))));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void SquareFixedMatchesFloat64(int parties)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(parties);
        Tensor x = Uniform(10, 5000);
        Tensor result = mpc.OpenReal(mpc.SquareFixed(mpc.ShareReal(x, 1)));
        AssertClose(x.mul(x), result, 2 * 10 * Unit / 2 + Unit * Unit / 4 + Unit);
    }

    [Theory]
    [InlineData(2, 17, 64, 9)]
    [InlineData(3, 33, 128, 20)]
    [InlineData(3, 1, 3000, 1)]
    [InlineData(5, 8, 8, 8)]
    public void MatMulFixedMatchesFloat64(int parties, int m, int k, int n)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(parties);
        Tensor x = Uniform(4, m, k);
        Tensor y = Uniform(4, k, n);
        SharedTensor product = mpc.MatMulFixed(mpc.ShareReal(x, 0), mpc.ShareReal(y, 1));
        Assert.Equal(2, mpc.Rounds);
        double tolerance = k * ((4 + 4) * Unit / 2 + Unit * Unit / 4) + Unit;
        AssertClose(x.matmul(y), mpc.OpenReal(product), tolerance);
    }

    [Fact]
    public void RingMatMulIsExact()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        var random = new Random(23);
        Tensor x = Reference.RandomRing(random, 6, 300);
        Tensor y = Reference.RandomRing(random, 300, 7);
        Assert.Equal(Reference.MatMul(Reference.Longs(x), Reference.Longs(y), 6, 300, 7),
            Reference.Reconstruct(mpc.MatMul(mpc.Share(x, 0), mpc.Share(y, 2))));
    }

    [Fact]
    public void MultiplyByPublicFixedMatchesFloat64()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        Tensor x = Uniform(100, 2000);
        Tensor p = Uniform(3, 2000);
        SharedTensor product = mpc.MultiplyPublicFixed(mpc.ShareReal(x, 2), p);
        Assert.Equal(1, mpc.Rounds);
        AssertClose(x.mul(p), mpc.OpenReal(product), (100 + 3) * Unit / 2 + Unit);
    }

    /// <summary>
    /// Scaling by a small public factor keeps ~24 significant bits of the factor (MultiplyPublicFixed would round
    /// 0.1/64 to a multiple of 2^-16, 0.4% off): error ≤ |x|·|c|·2^-24 + u, plus the input's encoding error times c.
    /// </summary>
    [Theory]
    [InlineData(0.1 / 64)]
    [InlineData(-3.7)]
    [InlineData(1e-5)]
    public void ScaleKeepsTheFactorsPrecision(double factor)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        Tensor x = Uniform(1000, 5000);
        SharedTensor scaled = mpc.Scale(mpc.ShareReal(x, 1), factor);
        Assert.Equal(1, mpc.Rounds);
        double tolerance = 1000 * Math.Abs(factor) * Math.Pow(2, -24) + Unit + Math.Abs(factor) * Unit / 2;
        AssertClose(x.mul(factor), mpc.OpenReal(scaled), tolerance);
    }

    [Fact]
    public void TwentyBitFormatIsMoreAccurate()
    {
        using var scope = NewDisposeScope();
        var format = new FixedPointFormat(20);
        using var mpc = new MpcEngine(3, format);
        Tensor x = Uniform(4, 3000);
        Tensor y = Uniform(4, 3000);
        Tensor result = mpc.OpenReal(mpc.MultiplyFixed(mpc.ShareReal(x, 0), mpc.ShareReal(y, 1)));
        double unit = format.Resolution;
        AssertClose(x.mul(y), result, 8 * unit / 2 + unit * unit / 4 + unit);
    }

    [Fact]
    public void RoundCountsAreOnePerOpen()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        SharedTensor x = mpc.ShareReal(Uniform(1, 4, 4), 0);
        Assert.Equal(0, mpc.Rounds);
        _ = mpc.Multiply(x, x);
        _ = mpc.Square(x);
        _ = mpc.MatMul(x, x);
        _ = mpc.Truncate(x);
        _ = mpc.MatMulFixed(x, x);
        _ = mpc.RevealTo(x, 1);
        _ = mpc.Open(x);
        Assert.Equal(
            new[] { ProtocolOp.Multiply, ProtocolOp.Square, ProtocolOp.MatMul, ProtocolOp.Truncate, ProtocolOp.MatMul, ProtocolOp.Truncate, ProtocolOp.RevealTo, ProtocolOp.Open },
            mpc.RoundLog.Select(r => r.Op));
        // A multiplication opens ε and δ (32 elements) from 3 parties and returns them to 3: 2·3·32·8 bytes.
        Assert.Equal(2 * 3 * 32 * 8, mpc.RoundLog[0].Bytes);
    }

    [Fact]
    public void CriticalPathIsAtMostTheSequentialOnlineTime()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(4);
        SharedTensor x = mpc.ShareReal(Uniform(1, 200, 200), 0);
        mpc.ResetCounters();
        Assert.Equal(TimeSpan.Zero, mpc.OnlineCriticalPath);
        _ = mpc.MatMulFixed(x, x);
        Assert.True(mpc.OnlineCriticalPath > TimeSpan.Zero);
        Assert.True(mpc.OnlineCriticalPath <= mpc.OnlineTime, $"{mpc.OnlineCriticalPath} > {mpc.OnlineTime}");
        Assert.True(mpc.OfflineTime > TimeSpan.Zero);
        // Dealer bytes count from the reset: one 200×200 matmul triple (8 per product element) and its truncation (16).
        Assert.Equal(200 * 200 * (8 + 16), mpc.DealerBytes);
    }

    [Fact]
    public void MismatchedOperandsAreRefused()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(2);
        SharedTensor x = mpc.ShareReal(Uniform(1, 2, 3), 0);
        SharedTensor y = mpc.ShareReal(Uniform(1, 4, 2), 1);
        var error = Assert.Throws<ArgumentException>(() => mpc.MatMul(x, y));
        Assert.Contains("inner dimensions 3 and 4", error.Message);
        Assert.Throws<ArgumentException>(() => mpc.Multiply(x, y));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MpcEngine(1));
    }

    private static Tensor Uniform(double bound, params long[] shape) =>
        rand(shape, dtype: ScalarType.Float64).mul_(2 * bound).sub_(bound);

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        double error = expected.sub(actual).abs().max().item<double>();
        Assert.True(error <= tolerance, $"max error {error:E3} > tolerance {tolerance:E3}");
    }
}
