using FsCheck;
using FsCheck.Fluent;
using SecureCompute.Mpc.Encoding;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

public class FixedPointFormatTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(20)]
    [InlineData(8)]
    public void RoundTripIsWithinHalfAUnit(int bits)
    {
        using var scope = NewDisposeScope();
        var format = new FixedPointFormat(bits);
        double limit = Math.Min(format.MaxMagnitude / 2, 1e6);
        Tensor real = rand(10_000, dtype: ScalarType.Float64).mul_(2 * limit).sub_(limit);
        Tensor back = format.Decode(format.Encode(real));
        // Encoding rounds to the nearest multiple of 2^-f: error ≤ 2^-(f+1), plus float64 rounding of v·2^f (relative 2^-53).
        double tolerance = Math.Pow(2, -(bits + 1)) + limit * Math.Pow(2, -52);
        Assert.True(back.sub(real).abs().max().item<double>() <= tolerance);
    }

    [Fact]
    public void RoundTripProperty()
    {
        var format = FixedPointFormat.Default;
        Prop.ForAll(ArbMap.Default.ArbFor<NormalFloat>(), v =>
        {
            double value = Math.Clamp(v.Get, -1e9, 1e9);
            using Tensor t = tensor(new[] { value });
            using Tensor encoded = format.Encode(t);
            using Tensor decoded = format.Decode(encoded);
            return Math.Abs(decoded.item<double>() - value) <= Math.Pow(2, -17) + Math.Abs(value) * 1e-15;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void IntegersAreExact()
    {
        var format = FixedPointFormat.Default;
        using Tensor t = tensor(new[] { -3.0, 0.0, 1.5, 1024.25 });
        Assert.Equal(new[] { -3L << 16, 0L, 3L << 15, (4097L << 16) / 4 }, Reference.Longs(format.Encode(t)));
    }

    [Fact]
    public void OutOfRangeNamesPositionAndRangeButNotTheValue()
    {
        var format = FixedPointFormat.Default;
        double tooBig = 123456789012345.0; // > 2^46
        using Tensor t = tensor(new[] { 1.0, 2.0, 3.0, tooBig, 5.0, 6.0 }, new long[] { 2, 3 });
        var error = Assert.Throws<FixedPointRangeException>(() => format.Encode(t, "alice.csv"));
        Assert.Equal(new long[] { 1, 0 }, error.Index);
        Assert.Contains("alice.csv", error.Message);
        Assert.Contains("[1, 0]", error.Message);
        Assert.Contains(format.MaxMagnitude.ToString("R"), error.Message);
        Assert.DoesNotContain("123456789012345", error.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(70368744177664.0)] // exactly 2^46: the bound is exclusive
    public void NonFiniteAndBoundaryAreErrors(double bad)
    {
        using Tensor t = tensor(new[] { 0.5, bad });
        var error = Assert.Throws<FixedPointRangeException>(() => FixedPointFormat.Default.Encode(t));
        Assert.Equal(new long[] { 1 }, error.Index);
    }

    [Fact]
    public void LargestValueInsideTheRangeEncodes()
    {
        double inside = FixedPointFormat.Default.MaxMagnitude - 1;
        using Tensor t = tensor(new[] { inside, -inside });
        Assert.Equal(new[] { (long)inside << 16, -((long)inside << 16) }, Reference.Longs(FixedPointFormat.Default.Encode(t)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(41)]
    public void FractionalBitsOutsideOneToFortyAreRejected(int bits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedPointFormat(bits));
}
