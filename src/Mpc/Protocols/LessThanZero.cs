using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Sharing;
using TorchSharp;

namespace SecureCompute.Mpc.Protocols;

/// <summary>
/// The sign of an additively shared value: [x &lt; 0] as an additive 0/1 share, exact for every x in Z_2^64 read as a
/// signed 64-bit integer.
/// </summary>
/// <remarks>
/// Steps, with the dealer's edaBits r (additive and XOR-shared bits) and daBits d:
/// 1. Begin: party i sends x_i + r_i. Open c = x + r mod 2^64 (uniform). [1 round]
/// 2. Then x = c − r, and its top bit is msb(x) = c_63 XOR r_63 XOR borrow, where borrow = [c_low &lt; r_low] compares
///    the public low 63 bits of c with the XOR-shared low 63 bits of r (<see cref="CarryInputs"/>): per bit,
///    g_i = NOT c_i AND r_i ("r is larger here") and p_i = NOT (c_i XOR r_i) ("equal here") — local, since c is public.
/// 3. A Kogge–Stone prefix over the 63 bits: for s = 1, 2, 4, 8, 16, 32, G ← G XOR (P AND (G &lt;&lt; s)) and
///    P ← P AND (P &lt;&lt; s) (<see cref="PrefixInputs"/>, <see cref="PrefixFinish"/>), both ANDs of a level in one
///    boolean round; XOR is OR here because g and p are never both 1. Bit 62 of G is then the borrow. [6 rounds]
/// 4. msb(x) as an XOR-shared bit (<see cref="MostSignificantBit"/>), converted to an additive share with a daBit
///    (<see cref="BitToArithmetic"/>). [1 round]
/// Rounds: 8. Bytes per party per element, each way: 8 (open) + 5 levels × 32 (two ANDs, two words each) + 16 (last
/// level, one AND) + 8 (conversion) = 192. Dealer per element: 8 (edaBit) + 5 × 16 + 8 (boolean triples) + 8 (daBit)
/// = 104.
/// </remarks>
public static class LessThanZero
{
    /// <summary>The Kogge–Stone shifts, one boolean round each.</summary>
    public static readonly int[] PrefixShifts = { 1, 2, 4, 8, 16, 32 };

    /// <summary>Rounds of the whole protocol.</summary>
    public const int Rounds = 8;

    private const long Low63 = long.MaxValue;

    /// <summary>Step 1: the masked value to open.</summary>
    public static OpenMessage Begin(ShareTensor x, EdaBits eda)
    {
        if (!eda.Arithmetic.Shape.SequenceEqual(x.Shape) || eda.Arithmetic.Party != x.Party)
        {
            throw new ArgumentException($"edaBits {RingShapes.Show(eda.Arithmetic.Shape)} of party {eda.Arithmetic.Party} do not fit operand {RingShapes.Show(x.Shape)} of party {x.Party}.");
        }
        return new OpenMessage(new[] { x.Value.Plus(eda.Arithmetic.Value) });
    }

    /// <summary>Step 2 (local): the generate and propagate words of c_low &lt; r_low.</summary>
    public static (BitShareTensor Generate, BitShareTensor Propagate) CarryInputs(torch.Tensor opened, EdaBits eda)
    {
        torch.Tensor notC = opened.bitwise_not();
        BitShareTensor generate = eda.Bits.AndPublic(notC).AndPublic(Low63);
        BitShareTensor propagate = eda.Bits.XorPublic(notC).AndPublic(Low63);
        return (generate, propagate);
    }

    /// <summary>Step 3, one level: the AND operands (stacked on a new first dimension) for shift <paramref name="shift"/>.</summary>
    /// <remarks>The last level needs only the generate word, so it ANDs one pair instead of two.</remarks>
    public static (BitShareTensor Left, BitShareTensor Right) PrefixInputs(BitShareTensor generate, BitShareTensor propagate, int shift, bool last)
    {
        BitShareTensor shiftedG = generate.ShiftLeft(shift);
        if (last)
        {
            return (Stack(propagate), Stack(shiftedG));
        }
        BitShareTensor shiftedP = propagate.ShiftLeft(shift);
        return (Stack(propagate, propagate), Stack(shiftedG, shiftedP));
    }

    /// <summary>Step 3, one level: the new generate and propagate words from the ANDed pairs.</summary>
    public static (BitShareTensor Generate, BitShareTensor Propagate) PrefixFinish(BitShareTensor generate, BitShareTensor propagate, BitShareTensor anded)
    {
        BitShareTensor newG = generate.Xor(new BitShareTensor(anded.Party, anded.Value[0]));
        BitShareTensor newP = anded.Shape[0] > 1 ? new BitShareTensor(anded.Party, anded.Value[1]) : propagate;
        return (newG, newP);
    }

    /// <summary>Step 4 (local): the XOR-shared top bit of x = c − r, in bit 0.</summary>
    public static BitShareTensor MostSignificantBit(torch.Tensor opened, EdaBits eda, BitShareTensor generate)
    {
        torch.Tensor cTop = opened.Below(0).to_type(torch.ScalarType.Int64);
        BitShareTensor rTop = eda.Bits.ShiftRight(63);
        BitShareTensor borrow = generate.ShiftRight(62).AndPublic(1L);
        return rTop.Xor(borrow).XorPublic(cTop);
    }

    private static BitShareTensor Stack(params BitShareTensor[] parts) =>
        new(parts[0].Party, torch.stack(parts.Select(p => p.Value).ToArray(), 0));
}
