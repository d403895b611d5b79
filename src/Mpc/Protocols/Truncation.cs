using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Sharing;
using TorchSharp;

namespace SecureCompute.Mpc.Protocols;

/// <summary>
/// Dealer-assisted truncation (DESIGN §6): [x] → [x / 2^m] with one opening and no failure probability for |x| &lt; 2^62.
/// </summary>
/// <remarks>
/// Steps, with k = 64 and the dealer's r (uniform), b = msb(r), t = (r mod 2^63) &gt;&gt; m:
/// 1. Begin: party i sends x_i + r_i; party 0 also adds the bias 2^62, moving x into [0, 2^63).
/// 2. Open: c = x + 2^62 + r mod 2^64, uniform because r is.
/// 3. Finish: with c_low = c mod 2^63 and c_msb = c &gt;&gt; 63 (public), the carry out of the low 63 bits of
///    (x + 2^62) + (r mod 2^63) is c_msb XOR b = c_msb + b − 2·c_msb·b, linear in the shared b. Then
///    [x &gt;&gt; m] = (c_low &gt;&gt; m) − [t] + 2^(63−m)·[carry] − 2^(62−m), public terms added by party 0.
/// Exact rounding: the result is ⌊x / 2^m⌋ + 1 when (c mod 2^m) &lt; (r mod 2^m) — i.e. when adding r's low m bits to
/// x's wraps, which happens with probability (x mod 2^m) / 2^m — and ⌊x / 2^m⌋ otherwise. So the error is below one
/// unit in the last place, zero when 2^m divides x, and unbiased (stochastic rounding): E[result] = x / 2^m.
/// Requires |x| &lt; 2^62 (as a signed ring element); outside that the result is wrong, which the fixed-point range
/// prevents. Rounds: 1. Bytes per party: 8·|x| each way. Dealer: 16·|x| (corrections for b and t).
/// </remarks>
public static class Truncation
{
    /// <summary>The bias that moves |x| &lt; 2^62 into [0, 2^63).</summary>
    public const long Bias = 1L << 62;

    /// <summary>Step 1: the masked value to open.</summary>
    public static OpenMessage Begin(ShareTensor x, TruncationPair pair)
    {
        if (!pair.R.Shape.SequenceEqual(x.Shape) || pair.R.Party != x.Party)
        {
            throw new ArgumentException($"Truncation material {RingShapes.Show(pair.R.Shape)} of party {pair.R.Party} does not fit operand {RingShapes.Show(x.Shape)} of party {x.Party}.");
        }
        torch.Tensor masked = x.Value.Plus(pair.R.Value);
        if (x.Party == 0)
        {
            masked.PlusInPlace(Bias);
        }
        return new OpenMessage(new[] { masked });
    }

    /// <summary>Step 3: this party's share of x &gt;&gt; m from the opened c.</summary>
    public static ShareTensor Finish(TruncationPair pair, OpenMessage opened)
    {
        using var scope = torch.NewDisposeScope();
        int m = pair.Bits;
        torch.Tensor c = opened.Values[0];
        torch.Tensor cMsb = c.Below(0).to_type(torch.ScalarType.Int64);
        // carry_i = b_i − 2·c_msb·b_i, plus c_msb at party 0.
        torch.Tensor carry = pair.Msb.Value.Minus(cMsb.mul(pair.Msb.Value).TimesInPlace(2));
        torch.Tensor z = carry.TimesInPlace(1L << (63 - m)).MinusInPlace(pair.ShiftedLow.Value);
        if (pair.R.Party == 0)
        {
            torch.Tensor cLowShifted = c.BitAnd(long.MaxValue).ShiftRightInPlace(m);
            z.PlusInPlace(cLowShifted).PlusInPlace(cMsb.Times(1L << (63 - m))).MinusInPlace(1L << (62 - m));
        }
        return new ShareTensor(pair.R.Party, z.MoveToOuterDisposeScope());
    }
}
