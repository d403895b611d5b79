using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Protocols;
using SecureCompute.Mpc.Sharing;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Engine;

/// <summary>Comparison and the operations built on it, as the simulator runs them.</summary>
public sealed partial class MpcEngine
{
    /// <summary>[x &lt; 0] as an additive 0/1 share (integer, not fixed point): <see cref="Protocols.LessThanZero"/>, 8 rounds.</summary>
    public SharedTensor LessThanZero(SharedTensor x) => LessThanZero(x, null, 0, out _);

    /// <summary>
    /// [x &lt; 0], with <paramref name="alsoTruncate"/> truncated by <paramref name="bits"/> in the same first round: the
    /// truncation's masked value rides in the comparison's open (both are additive opens), so it costs no round.
    /// </summary>
    public SharedTensor LessThanZero(SharedTensor x, SharedTensor? alsoTruncate, int bits, out SharedTensor? truncated)
    {
        MaterialRequest edaRequest = MaterialRequest.EdaBits(x.Shape);
        EdaBits[] eda = Deal(edaRequest, (p, c) => p.NextEdaBits(edaRequest, c));
        TruncationPair[]? pairs = null;
        if (alsoTruncate is not null)
        {
            MaterialRequest truncation = MaterialRequest.Truncation(alsoTruncate.Shape, bits);
            pairs = Deal(truncation, (p, c) => p.NextTruncation(truncation, c));
        }
        var opened = new Tensor[Local];
        var truncatedShares = new ShareTensor[Local];
        var carry = Run(ProtocolOp.CompareOpen, i =>
        {
            OpenMessage sign = Protocols.LessThanZero.Begin(x.Shares[i], eda[i]);
            return pairs is null ? sign : new OpenMessage(sign.Values.Concat(Truncation.Begin(alsoTruncate!.Shares[i], pairs[i]).Values).ToArray());
        }, (i, o) =>
        {
            opened[i] = o.Values[0].clone();
            if (pairs is not null)
            {
                truncatedShares[i] = Truncation.Finish(pairs[i], new OpenMessage(new[] { o.Values[1] }));
            }
            return Protocols.LessThanZero.CarryInputs(opened[i], eda[i]);
        });
        truncated = pairs is null ? null : new SharedTensor(truncatedShares);
        BitShareTensor[] generate = carry.Select(c => c.Generate).ToArray();
        BitShareTensor[] propagate = carry.Select(c => c.Propagate).ToArray();
        for (int level = 0; level < Protocols.LessThanZero.PrefixShifts.Length; level++)
        {
            int shift = Protocols.LessThanZero.PrefixShifts[level];
            bool last = level == Protocols.LessThanZero.PrefixShifts.Length - 1;
            var operands = Enumerable.Range(0, Local)
                .Select(i => Protocols.LessThanZero.PrefixInputs(generate[i], propagate[i], shift, last)).ToArray();
            BitShareTensor[] anded = And(operands.Select(o => o.Left).ToArray(), operands.Select(o => o.Right).ToArray());
            var next = Enumerable.Range(0, Local).Select(i => Protocols.LessThanZero.PrefixFinish(generate[i], propagate[i], anded[i])).ToArray();
            generate = next.Select(n => n.Generate).ToArray();
            propagate = next.Select(n => n.Propagate).ToArray();
        }
        BitShareTensor[] msb = Enumerable.Range(0, Local)
            .Select(i => Protocols.LessThanZero.MostSignificantBit(opened[i], eda[i], generate[i])).ToArray();
        return BitsToArithmetic(msb);
    }

    /// <summary>[x &lt; y] (0/1): the sign of x − y, 8 rounds. Needs |x − y| &lt; 2^63 as ring values.</summary>
    public SharedTensor LessThan(SharedTensor x, SharedTensor y)
    {
        using SharedTensor difference = x.Subtract(y);
        return LessThanZero(difference);
    }

    /// <summary>[x &lt; c] (0/1) for public reals c (broadcasting), 8 rounds.</summary>
    public SharedTensor LessThanPublic(SharedTensor x, Tensor publicReal)
    {
        using Tensor encoded = Format.Encode(publicReal, "public bound");
        using SharedTensor difference = x.AddPublic(encoded.neg().to(Device));
        return LessThanZero(difference);
    }

    /// <summary>bit ? a : b for an additive 0/1 <paramref name="bit"/>: b + bit·(a − b), 1 round (no truncation: bit is an integer).</summary>
    public SharedTensor Select(SharedTensor bit, SharedTensor a, SharedTensor b)
    {
        using SharedTensor difference = a.Subtract(b);
        using SharedTensor chosen = Multiply(bit, difference);
        return b.Add(chosen);
    }

    /// <summary>max(x, 0): x − [x &lt; 0]·x, 9 rounds.</summary>
    public SharedTensor Relu(SharedTensor x)
    {
        using SharedTensor negative = LessThanZero(x);
        using SharedTensor dropped = Multiply(negative, x);
        return x.Subtract(dropped);
    }

    /// <summary>max(x, y) element-wise: x + [x &lt; y]·(y − x), 9 rounds.</summary>
    public SharedTensor Max(SharedTensor x, SharedTensor y)
    {
        using SharedTensor less = LessThan(x, y);
        using SharedTensor gap = y.Subtract(x);
        using SharedTensor raise = Multiply(less, gap);
        return x.Add(raise);
    }

    /// <summary>
    /// Clips x to [low, high] (public reals, low ≤ high): both comparisons in one batched sign protocol, both
    /// corrections in one batched product — 9 rounds whatever the bounds.
    /// </summary>
    /// <param name="x">The shared values.</param>
    /// <param name="low">Lower bound.</param>
    /// <param name="high">Upper bound.</param>
    /// <param name="extraBits">x carries f + extraBits fractional bits (e.g. an untruncated product: f); the
    /// bounds are encoded at the same scale and the result keeps it.</param>
    public SharedTensor Clip(SharedTensor x, double low, double high, int extraBits = 0)
    {
        if (!(low <= high))
        {
            throw new ArgumentException($"Clip bounds must satisfy low ≤ high, not [{low}, {high}].");
        }
        if (extraBits is < 0 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(extraBits), extraBits, "Extra fractional bits must be between 0 and 30.");
        }
        using Tensor lowRing = tensor(Format.Encode(low) << extraBits).to(Device);
        using Tensor highRing = tensor(Format.Encode(high) << extraBits).to(Device);
        using SharedTensor belowGap = x.Negate().AddPublic(lowRing);   // low − x: positive where x is below
        using SharedTensor aboveGap = x.Negate().AddPublic(highRing);  // high − x: negative where x is above
        using SharedTensor belowSign = belowGap.Negate();
        using SharedTensor signs = Stack(new[] { belowSign, aboveGap });  // [x − low, high − x]
        using SharedTensor outside = LessThanZero(signs);               // [x < low, x > high]
        using SharedTensor gaps = Stack(new[] { belowGap, aboveGap });
        using SharedTensor corrections = Multiply(outside, gaps);
        using SharedTensor raised = x.Add(corrections.Slice(0, 0, 1).Reshape(x.Shape));
        return raised.Add(corrections.Slice(0, 1, 1).Reshape(x.Shape));
    }

    /// <summary>XOR-shared bits (bit 0) to additive 0/1 shares with daBits: 1 round.</summary>
    private SharedTensor BitsToArithmetic(BitShareTensor[] bits)
    {
        MaterialRequest request = MaterialRequest.DaBits(bits[0].Shape);
        DaBits[] dabits = Deal(request, (p, c) => p.NextDaBits(request, c));
        return Step(ProtocolOp.BitToArithmetic, i => BitToArithmetic.Begin(bits[i], dabits[i]), (i, o) => BitToArithmetic.Finish(dabits[i], o));
    }

    /// <summary>x AND y on XOR-shared words: 1 round.</summary>
    private BitShareTensor[] And(BitShareTensor[] x, BitShareTensor[] y)
    {
        MaterialRequest request = MaterialRequest.BooleanAnd(x[0].Shape, y[0].Shape);
        BooleanTriple[] triples = Deal(request, (p, c) => p.NextBooleanTriple(request, c));
        return Run(ProtocolOp.And, i => BooleanAnd.Begin(x[i], y[i], triples[i]), (i, o) => BooleanAnd.Finish(triples[i], o));
    }
}
