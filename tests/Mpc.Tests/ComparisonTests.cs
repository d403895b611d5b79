using FsCheck;
using FsCheck.Fluent;
using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

/// <summary>Sign, comparison, select, clip, ReLU and max against exact integer references (all are exact in the ring).</summary>
public class ComparisonTests
{
    /// <summary>0, ±1, ±2^k, ±(2^k ± 1) for every k, the ends of the ring and of the fixed-point range, and random words.</summary>
    private static long[] Boundaries(int seed)
    {
        var values = new List<long> { 0, 1, -1, long.MinValue, long.MaxValue, long.MinValue + 1, long.MaxValue - 1, (1L << 62) - 1, -(1L << 62) + 1 };
        for (int k = 0; k < 63; k++)
        {
            long p = 1L << k;
            values.AddRange(new[] { p, -p, p - 1, -(p - 1), unchecked(p + 1), unchecked(-(p + 1)) });
        }
        var random = new Random(seed);
        values.AddRange(Enumerable.Range(0, 1000).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)));
        return values.ToArray();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void SignIsExactOnBoundariesAndRandomWords(int parties)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(parties);
        long[] values = Boundaries(parties);
        long[] sign = Reference.Reconstruct(mpc.LessThanZero(mpc.Share(tensor(values), parties - 1)));
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(sign[i] == (values[i] < 0 ? 1 : 0), $"sign of element {i} (parties {parties}) is {sign[i]}");
        }
        Assert.Equal(8, mpc.Rounds);
        Assert.Equal(
            new[] { ProtocolOp.CompareOpen, ProtocolOp.And, ProtocolOp.And, ProtocolOp.And, ProtocolOp.And, ProtocolOp.And, ProtocolOp.And, ProtocolOp.BitToArithmetic },
            mpc.RoundLog.Select(r => r.Op));
    }

    [Fact]
    public void SignProperty()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<long[]>(), ArbMap.Default.ArbFor<PositiveInt>(), (values, p) =>
        {
            if (values.Length == 0)
            {
                return true;
            }
            using var scope = NewDisposeScope();
            int parties = 2 + p.Get % 4;
            using var mpc = new MpcEngine(parties);
            long[] sign = Reference.Reconstruct(mpc.LessThanZero(mpc.Share(tensor(values), 0)));
            return values.Select(v => v < 0 ? 1L : 0L).SequenceEqual(sign);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void ComparisonsOfSharesAndWithPublicBounds(int parties)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(parties);
        var random = new Random(parties * 7);
        double[] xs = Enumerable.Range(0, 2000).Select(i => i < 10 ? i * 0.25 - 1 : (random.NextDouble() - 0.5) * 200).ToArray();
        double[] ys = xs.Select((x, i) => i % 3 == 0 ? x : (random.NextDouble() - 0.5) * 200).ToArray();
        SharedTensor x = mpc.ShareReal(tensor(xs), 0);
        SharedTensor y = mpc.ShareReal(tensor(ys), parties - 1);
        long[] ex = Reference.Longs(mpc.Format.Encode(tensor(xs)));
        long[] ey = Reference.Longs(mpc.Format.Encode(tensor(ys)));
        long[] less = Reference.Reconstruct(mpc.LessThan(x, y));
        long[] lessThanHalf = Reference.Reconstruct(mpc.LessThanPublic(x, tensor(0.5)));
        long half = mpc.Format.Encode(0.5);
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal(ex[i] < ey[i] ? 1 : 0, less[i]);
            Assert.Equal(ex[i] < half ? 1 : 0, lessThanHalf[i]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void SelectReluMaxAreExact(int parties)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(parties);
        long[] a = Boundaries(parties).Select(v => v >> 2).ToArray(); // |a| < 2^61: differences stay in range
        long[] b = a.Reverse().ToArray();
        SharedTensor sa = mpc.Share(tensor(a), 0);
        SharedTensor sb = mpc.Share(tensor(b), 1);

        mpc.ResetCounters();
        long[] relu = Reference.Reconstruct(mpc.Relu(sa));
        Assert.Equal(9, mpc.Rounds);
        Assert.Equal(a.Select(v => Math.Max(v, 0)), relu);

        mpc.ResetCounters();
        long[] max = Reference.Reconstruct(mpc.Max(sa, sb));
        Assert.Equal(9, mpc.Rounds);
        Assert.Equal(a.Zip(b, Math.Max), max);

        long[] bits = a.Select((_, i) => (long)(i % 2)).ToArray();
        mpc.ResetCounters();
        long[] selected = Reference.Reconstruct(mpc.Select(mpc.Share(tensor(bits), 1), sa, sb));
        Assert.Equal(1, mpc.Rounds);
        Assert.Equal(a.Select((v, i) => bits[i] == 1 ? v : b[i]), selected);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void ClipIsExact(int parties)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(parties);
        var random = new Random(parties);
        double[] xs = Enumerable.Range(0, 3000).Select(i => i < 5 ? new[] { -8.0, 8.0, -8.0 - 1.0 / 65536, 8.0 + 1.0 / 65536, 0 }[i] : (random.NextDouble() - 0.5) * 100).ToArray();
        SharedTensor x = mpc.ShareReal(tensor(xs), 0);
        mpc.ResetCounters();
        long[] clipped = Reference.Reconstruct(mpc.Clip(x, -8, 8));
        Assert.Equal(9, mpc.Rounds);
        long low = mpc.Format.Encode(-8.0), high = mpc.Format.Encode(8.0);
        long[] encoded = Reference.Longs(mpc.Format.Encode(tensor(xs)));
        Assert.Equal(encoded.Select(v => Math.Clamp(v, low, high)), clipped);
        Assert.Throws<ArgumentException>(() => mpc.Clip(x, 1, -1));
    }

    [Fact]
    public void BooleanMaterialIsCorrect()
    {
        using var scope = NewDisposeScope();
        var seeds = Dealer.TrustedDealer.NewPartySeeds(3);
        using var dealer = new Dealer.TrustedDealer(seeds);
        var parties = Enumerable.Range(0, 3).Select(i => new Dealer.PartyMaterial(i, 3, seeds[i])).ToArray();
        var and = Dealer.MaterialRequest.BooleanAnd(new long[] { 500 }, new long[] { 500 });
        using var c1 = dealer.Next(and);
        var triples = parties.Select(p => p.NextBooleanTriple(and, p.ReceivesCorrections ? c1 : null)).ToArray();
        long[] xa = Xor(triples.Select(t => t.A.Value)), xb = Xor(triples.Select(t => t.B.Value)), xc = Xor(triples.Select(t => t.C.Value));
        Assert.Equal(xa.Zip(xb, (p, q) => p & q), xc);

        var eda = Dealer.MaterialRequest.EdaBits(new long[] { 500 });
        using var c2 = dealer.Next(eda);
        var edas = parties.Select(p => p.NextEdaBits(eda, p.ReceivesCorrections ? c2 : null)).ToArray();
        Assert.Equal(Reference.Reconstruct(new SharedTensor(edas.Select(e => e.Arithmetic).ToArray())), Xor(edas.Select(e => e.Bits.Value)));

        var da = Dealer.MaterialRequest.DaBits(new long[] { 500 });
        using var c3 = dealer.Next(da);
        var das = parties.Select(p => p.NextDaBits(da, p.ReceivesCorrections ? c3 : null)).ToArray();
        long[] bits = Xor(das.Select(d => d.Bit.Value));
        Assert.All(bits, b => Assert.InRange(b, 0, 1));
        Assert.Contains(0L, bits);
        Assert.Contains(1L, bits);
        Assert.Equal(bits, Reference.Reconstruct(new SharedTensor(das.Select(d => d.Arithmetic).ToArray())));
    }

    private static long[] Xor(IEnumerable<Tensor> shares) =>
        shares.Select(Reference.Longs).Aggregate((p, q) => p.Zip(q, (u, v) => u ^ v).ToArray());
}
