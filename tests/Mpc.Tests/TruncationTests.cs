using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

public class TruncationTests
{
    /// <summary>
    /// 10^7 values spanning the whole supported range |x| &lt; 2^62 (exponents 0..61 equally often, both signs):
    /// every result is ⌊x / 2^16⌋ or ⌊x / 2^16⌋ + 1, exact when 2^16 divides x, and unbiased on average.
    /// </summary>
    [Fact]
    public void TenMillionElementsAcrossTheRangeAreWithinOneUnit()
    {
        const int batches = 10;
        const int batch = 1_000_000;
        const int bits = 16;
        using var mpc = new MpcEngine(3);
        var random = new Random(2026);
        long ups = 0;
        double expectedUps = 0;
        for (int b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            long[] values = new long[batch];
            for (int i = 0; i < batch; i++)
            {
                int exponent = random.Next(0, 62);
                long magnitude = exponent == 0 ? random.Next(0, 2) : (1L << exponent) | random.NextInt64(0, 1L << exponent);
                magnitude &= (1L << 62) - 1;
                values[i] = random.Next(2) == 0 ? magnitude : -magnitude;
            }
            values[0] = (1L << 62) - 1;
            values[1] = -((1L << 62) - 1);
            values[2] = 0;
            values[3] = 1L << bits;
            Tensor x = tensor(values);
            long[] result = Reference.Reconstruct(mpc.Truncate(mpc.Share(x, b % 3)));
            for (int i = 0; i < batch; i++)
            {
                long floor = values[i] >> bits;
                long error = result[i] - floor;
                Assert.True(error is 0 or 1, $"element {i} of batch {b}: result − floor = {error}");
                if ((values[i] & ((1L << bits) - 1)) == 0)
                {
                    Assert.Equal(0, error);
                }
                ups += error;
                expectedUps += (values[i] & ((1L << bits) - 1)) / (double)(1L << bits);
            }
        }
        // Stochastic rounding: rounds up with probability (x mod 2^m)/2^m. Over 10^7 Bernoulli trials σ ≤ 1600;
        // allow 6σ.
        Assert.InRange(ups, expectedUps - 10_000, expectedUps + 10_000);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(40)]
    public void OtherShiftsAreWithinOneUnit(int bits)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(2);
        var random = new Random(bits);
        long[] values = Enumerable.Range(0, 100_000).Select(_ => random.NextInt64(-(1L << 62) + 1, 1L << 62)).ToArray();
        long[] result = Reference.Reconstruct(mpc.Truncate(mpc.Share(tensor(values), 1), bits));
        for (int i = 0; i < values.Length; i++)
        {
            Assert.InRange(result[i] - (values[i] >> bits), 0, 1);
        }
    }
}
