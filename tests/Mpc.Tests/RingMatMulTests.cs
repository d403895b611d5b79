using SecureCompute.Mpc.Ring;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

public class RingMatMulTests
{
    /// <summary>Limb split equals libtorch's int64 matmul bit for bit on full-range operands, across the chunking boundary.</summary>
    [Theory]
    [InlineData(16, 1, 16)]
    [InlineData(16, 255, 12)]
    [InlineData(16, 256, 12)]
    [InlineData(24, 1000, 20)]
    [InlineData(8, 910, 8)]
    [InlineData(8, 911, 8)]
    [InlineData(8, 2048, 8)]
    [InlineData(8, 2049, 8)]
    [InlineData(8, 4096, 8)]
    public void LimbSplitEqualsInt64(int m, int k, int n)
    {
        using var scope = NewDisposeScope();
        var random = new Random(m * 100_000 + k * 10 + n);
        Tensor a = Reference.RandomRing(random, m, k);
        Tensor b = Reference.RandomRing(random, k, n);
        Tensor limb = RingMatMul.Multiply(a, b, RingMatMulAlgorithm.LimbSplit);
        Tensor int64 = RingMatMul.Multiply(a, b, RingMatMulAlgorithm.Int64);
        Assert.Equal(Reference.Longs(int64), Reference.Longs(limb));
        Assert.Equal(Reference.MatMul(Reference.Longs(a), Reference.Longs(b), m, k, n), Reference.Longs(limb));
    }

    /// <summary>The managed loop (what Auto picks for small products on the CPU) against the BigInteger-free
    /// reference and the limb split, on uniform ring elements (every product wraps).</summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(64, 31, 1)]
    [InlineData(31, 64, 1)]
    [InlineData(7, 13, 5)]
    [InlineData(64, 64, 64)]
    public void ManagedEqualsTheReferenceAndTheLimbSplit(int m, int k, int n)
    {
        using var scope = NewDisposeScope();
        var random = new Random(Environment.TickCount);
        Tensor a = Reference.RandomRing(random, m, k);
        Tensor b = Reference.RandomRing(random, k, n);
        Tensor managed = RingMatMul.Multiply(a, b, RingMatMulAlgorithm.Managed);
        Assert.Equal(Reference.MatMul(Reference.Longs(a), Reference.Longs(b), m, k, n), Reference.Longs(managed));
        Assert.Equal(Reference.Longs(RingMatMul.Multiply(a, b, RingMatMulAlgorithm.LimbSplit)), Reference.Longs(managed));
        Assert.Equal(Reference.Longs(managed), Reference.Longs(RingMatMul.Multiply(a, b)));   // Auto
        using Tensor transposed = a.t();   // a non-contiguous operand
        Assert.Equal(Reference.Longs(RingMatMul.Multiply(transposed.t(), b, RingMatMulAlgorithm.LimbSplit)),
            Reference.Longs(RingMatMul.Multiply(transposed.t(), b, RingMatMulAlgorithm.Managed)));
    }

    [Theory]
    [InlineData(910)]
    [InlineData(2048)]
    public void ExtremeOperandsAreExact(int k)
    {
        using var scope = NewDisposeScope();
        // Constant operands whose limbs sit at the ends of their ranges maximise every partial sum;
        // −2^21 − 2^42 has d0 = −2^21 and d1 = −2^20, the largest |d0 + d1| that Karatsuba's middle GEMM sees.
        foreach (long fill in new[] { long.MinValue, long.MaxValue, -1L, (1L << 21) - 1, -(1L << 21), -(1L << 21) - (1L << 42) })
        {
            Tensor a = full(new long[] { 3, k }, fill, ScalarType.Int64);
            Tensor b = full(new long[] { k, 2 }, fill, ScalarType.Int64);
            Assert.Equal(Reference.MatMul(Reference.Longs(a), Reference.Longs(b), 3, k, 2), Reference.Longs(RingMatMul.Multiply(a, b)));
        }
    }

    /// <summary>
    /// Operands whose limbs are near the ends of their ranges with random low bits: every partial sum is large and
    /// has many significant bits, so a float64 GEMM over too long an inner dimension would round (this test fails
    /// if the chunking bound is raised past what is exact).
    /// </summary>
    [Theory]
    [InlineData(910)]
    [InlineData(2048)]
    [InlineData(4096)]
    public void NearWorstCaseOperandsAreExact(int k)
    {
        using var scope = NewDisposeScope();
        var random = new Random(k);
        Tensor a = NearExtreme(random, 2, k);
        Tensor b = NearExtreme(random, k, 3);
        Assert.Equal(Reference.MatMul(Reference.Longs(a), Reference.Longs(b), 2, k, 3), Reference.Longs(RingMatMul.Multiply(a, b)));
    }

    private static Tensor NearExtreme(Random random, int rows, int columns)
    {
        var values = new long[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            long d0 = -(1L << 21) + random.Next(1 << 12);
            long d1 = -(1L << 20) + random.Next(1 << 12);
            long d2 = random.NextInt64(-(1L << 20), 1L << 20);
            values[i] = unchecked(d0 + (d1 << 22) + (d2 << 43));
        }
        return tensor(values, new long[] { rows, columns });
    }

    [Fact]
    public void RowBlockedInt64EqualsReference()
    {
        using var scope = NewDisposeScope();
        var random = new Random(11);
        Tensor a = Reference.RandomRing(random, 256, 40);
        Tensor b = Reference.RandomRing(random, 40, 9);
        Assert.Equal(Reference.MatMul(Reference.Longs(a), Reference.Longs(b), 256, 40, 9),
            Reference.Longs(RingMatMul.Multiply(a, b, RingMatMulAlgorithm.Int64)));
    }

    [Fact]
    public void VectorAndBatchedShapes()
    {
        using var scope = NewDisposeScope();
        var random = new Random(5);
        Tensor a = Reference.RandomRing(random, 3, 4, 6);
        Tensor b = Reference.RandomRing(random, 6, 5);
        Tensor v = Reference.RandomRing(random, 6);
        Assert.Equal(Reference.Longs(a.matmul(b)), Reference.Longs(RingMatMul.Multiply(a, b, RingMatMulAlgorithm.LimbSplit)));
        Assert.Equal(Reference.Longs(a.matmul(v)), Reference.Longs(RingMatMul.Multiply(a, v, RingMatMulAlgorithm.LimbSplit)));
        Assert.Equal(Reference.Longs(v.matmul(b)), Reference.Longs(RingMatMul.Multiply(v, b, RingMatMulAlgorithm.LimbSplit)));
    }

    [Fact]
    public void LimbsRecombineToTheOperand()
    {
        using var scope = NewDisposeScope();
        Tensor x = Reference.RandomRing(new Random(3), 10_000);
        Tensor[] limbs = LimbSplitMatMul.SplitLimbs(x);
        Tensor back = limbs[0].to_type(ScalarType.Int64)
            .add(limbs[1].to_type(ScalarType.Int64).mul(1L << 22))
            .add(limbs[2].to_type(ScalarType.Int64).mul(1L << 43));
        Assert.Equal(Reference.Longs(x), Reference.Longs(back));
        Assert.True(limbs[0].abs().max().item<double>() <= 1 << 21);
        Assert.True(limbs[1].abs().max().item<double>() <= 1 << 20);
        Assert.True(limbs[2].abs().max().item<double>() <= 1 << 20);
    }

    /// <summary>The CPU's one-pass split and the device-generic tensor split (the CUDA path) agree.</summary>
    [Fact]
    public void CpuAndDeviceGenericSplitsAgree()
    {
        using var scope = NewDisposeScope();
        Tensor x = Reference.RandomRing(new Random(9), 300, 301);
        Tensor[] cpu = LimbSplitMatMul.SplitLimbs(x);
        Tensor[] generic = LimbSplitMatMul.SplitLimbsWithTorch(x);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(cpu[i].equal(generic[i]).all().item<bool>(), $"limb {i} differs");
        }
        Tensor strided = x.t();
        Assert.True(LimbSplitMatMul.SplitLimbs(strided)[0].equal(LimbSplitMatMul.SplitLimbsWithTorch(strided)[0]).all().item<bool>());
    }

    [Fact]
    public void BadOperandsAreRefused()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => RingMatMul.Multiply(zeros(new long[] { 2, 3 }, ScalarType.Int64), zeros(new long[] { 4, 2 }, ScalarType.Int64)));
        Assert.Contains("inner dimensions 3 and 4", error.Message);
        Assert.Throws<ArgumentException>(() => RingMatMul.Multiply(zeros(2, 2), zeros(2, 2)));
    }
}
