using SecureCompute.Mpc.Randomness;
using SecureCompute.Mpc.Sharing;
using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

public class SharingTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void ShareAndReconstruct(int parties)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(parties);
        var random = new Random(parties);
        Tensor secret = Reference.RandomRing(random, 7, 5);
        for (int owner = 0; owner < parties; owner++)
        {
            SharedTensor shared = mpc.Share(secret, owner);
            Assert.Equal(Reference.Longs(secret), Reference.Reconstruct(shared));
            Assert.Equal(Reference.Longs(secret), Reference.Longs(mpc.Open(shared)));
            // No party other than the owner holds the secret, and no two shares coincide.
            for (int i = 0; i < parties; i++)
            {
                Assert.False(shared.Shares[i].Value.eq(secret).all().item<bool>());
            }
        }
        Assert.Equal(parties, mpc.Rounds);
    }

    [Fact]
    public void ZeroSharesSumToZero()
    {
        using var scope = NewDisposeScope();
        PairwiseSeeds[] seeds = PairwiseSeeds.CreateAll(5);
        Tensor sum = zeros(1000, dtype: ScalarType.Int64);
        foreach (PairwiseSeeds s in seeds)
        {
            Tensor z = ZeroSharing.ZeroShare(s, new long[] { 1000 });
            Assert.True(z.ne(0).any().item<bool>());
            sum.add_(z);
        }
        Assert.True(sum.eq(0).all().item<bool>());
    }

    /// <summary>
    /// One share is independent of the secret: the distribution of party 0's share (top 4 bits, 16 bins) over
    /// 20 000 sharings of secret A and of secret B must not differ. Two-sample chi-square, 15 degrees of freedom;
    /// the critical value 56 has p ≈ 10^-6 under independence, so this fails spuriously about once in a million runs.
    /// </summary>
    [Theory]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(5, 4)]
    public void OneShareIsIndependentOfTheSecret(int parties, int observedParty)
    {
        double statistic = ShareChiSquare(parties, observedParty, leak: false);
        Assert.True(statistic < 56, $"chi-square {statistic:F1} ≥ 56: the share depends on the secret");
    }

    /// <summary>The same statistic does detect a dependent share (so the test above can fail).</summary>
    [Fact]
    public void ChiSquareDetectsALeakyShare() => Assert.True(ShareChiSquare(3, 0, leak: true) > 1000);

    [Fact]
    public void LocalOperationsMatchPlaintext()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        var random = new Random(7);
        Tensor x = Reference.RandomRing(random, 4, 6);
        Tensor y = Reference.RandomRing(random, 4, 6);
        Tensor p = Reference.RandomRing(random, 6);
        SharedTensor sx = mpc.Share(x, 0);
        SharedTensor sy = mpc.Share(y, 2);
        Check(x.add(y), sx.Add(sy));
        Check(x.sub(y), sx.Subtract(sy));
        Check(x.add(p), sx.AddPublic(p));
        Check(x.mul(-7L), sx.MultiplyPublic(-7L));
        Check(x.mul(p), sx.MultiplyPublic(p));
        Check(x.t(), sx.Transpose());
        Check(x.reshape(3, 8), sx.Reshape(3, 8));
        Check(x.narrow(1, 2, 3), sx.Slice(1, 2, 3));
        Check(x.sum(new long[] { 0 }, false, ScalarType.Int64), sx.Sum(0));
        Check(cat(new[] { x, y }, 0), SharedTensor.Concatenate(new[] { sx, sy }, 0));
        Assert.Equal(0, mpc.Rounds);
    }

    [Fact]
    public void SharesOfDifferentPartiesDoNotMix()
    {
        using var a = new ShareTensor(0, zeros(3, dtype: ScalarType.Int64));
        using var b = new ShareTensor(1, zeros(3, dtype: ScalarType.Int64));
        Assert.Throws<ArgumentException>(() => a.Add(b));
        Assert.Throws<ArgumentException>(() => new ShareTensor(0, zeros(3)));
        Assert.Throws<ArgumentException>(() => a.AddPublic(zeros(3)));
    }

    [Fact]
    public void ToStringShowsNoElements()
    {
        using var share = new ShareTensor(1, tensor(new[] { 987654321L, 123456789L }));
        Assert.DoesNotContain("987654321", share.ToString());
        Assert.DoesNotContain("123456789", share.ToString());
        Seed seed = Seed.Random();
        Assert.DoesNotContain(Convert.ToHexString(seed.Bytes), seed.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private static void Check(Tensor expected, SharedTensor actual) =>
        Assert.Equal(Reference.Longs(expected), Reference.Reconstruct(actual));

    private static double ShareChiSquare(int parties, int observedParty, bool leak)
    {
        using var scope = NewDisposeScope();
        const int samples = 20_000;
        using var mpc = new MpcEngine(parties);
        long[] histogramA = Histogram(mpc, 0L, observedParty, samples, leak);
        long[] histogramB = Histogram(mpc, long.MinValue / 3, observedParty, samples, leak);
        double statistic = 0;
        for (int bin = 0; bin < 16; bin++)
        {
            double total = histogramA[bin] + histogramB[bin];
            if (total > 0)
            {
                double expected = total / 2;
                statistic += Math.Pow(histogramA[bin] - expected, 2) / expected + Math.Pow(histogramB[bin] - expected, 2) / expected;
            }
        }
        return statistic;
    }

    private static long[] Histogram(MpcEngine mpc, long secret, int party, int samples, bool leak)
    {
        // Sharing a vector of equal secrets is the same as sharing the secret many times: each element is shared
        // with independent pairwise randomness.
        using Tensor secrets = full(samples, secret, ScalarType.Int64);
        using SharedTensor shared = mpc.Share(secrets, owner: 0);
        Tensor share = leak ? secrets : shared.Shares[party].Value;
        long[] bins = new long[16];
        foreach (long v in Reference.Longs(share))
        {
            bins[(ulong)v >> 60]++;
        }
        return bins;
    }
}
