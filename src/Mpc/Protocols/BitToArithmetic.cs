using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Sharing;
using TorchSharp;

namespace SecureCompute.Mpc.Protocols;

/// <summary>Converts an XOR-shared bit (bit 0 of each word) into an additive 0/1 share with a daBit.</summary>
/// <remarks>
/// Steps, with the dealer's daBit d shared both ways:
/// 1. Begin: send e_i = bit_i XOR d_i (boolean message; only bit 0 is set).
/// 2. Open by XOR: e = bit XOR d (uniform, since d is).
/// 3. Finish: bit = e XOR d = e + d − 2·e·d, linear in the additive [d]: [bit]_i = [d]_i·(1 − 2e), party 0 adds e.
/// Rounds: 1. Bytes per party: 8·|x| each way (a whole word carries the bit). Dealer: 8·|x|.
/// </remarks>
public static class BitToArithmetic
{
    /// <summary>Step 1: the masked bit to open.</summary>
    public static OpenMessage Begin(BitShareTensor bit, DaBits dabit)
    {
        if (!dabit.Bit.Shape.SequenceEqual(bit.Shape) || dabit.Bit.Party != bit.Party)
        {
            throw new ArgumentException($"daBits {RingShapes.Show(dabit.Bit.Shape)} of party {dabit.Bit.Party} do not fit bits {RingShapes.Show(bit.Shape)} of party {bit.Party}.");
        }
        return new OpenMessage(new[] { bit.Value.BitAnd(1L).bitwise_xor_(dabit.Bit.Value) }, OpenKind.Boolean);
    }

    /// <summary>Step 3: this party's additive share of the bit.</summary>
    public static ShareTensor Finish(DaBits dabit, OpenMessage opened)
    {
        torch.Tensor e = opened.Values[0].BitAnd(1L);
        torch.Tensor share = dabit.Arithmetic.Value.mul(e.Times(-2L).PlusInPlace(1));
        if (dabit.Arithmetic.Party == 0)
        {
            share.PlusInPlace(e);
        }
        return new ShareTensor(dabit.Arithmetic.Party, share);
    }
}
