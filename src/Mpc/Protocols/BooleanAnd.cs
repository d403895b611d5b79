using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Sharing;
using TorchSharp;

namespace SecureCompute.Mpc.Protocols;

/// <summary>Bit-wise AND of two XOR-shared word tensors with a boolean Beaver triple (a, b, c = a AND b).</summary>
/// <remarks>
/// Steps, at party i:
/// 1. Begin: send e_i = x_i XOR a_i and f_i = y_i XOR b_i (one boolean message).
/// 2. Open by XOR: e = x XOR a, f = y XOR b (uniform).
/// 3. Finish: z_i = c_i XOR (e AND b_i) XOR (a_i AND f), and party 0 also XORs e AND f; XOR of all z_i = x AND y.
/// Rounds: 1. Bytes per party: 8·(|x| + |y|) each way (64 ANDs per word). Dealer: 8·|z|.
/// </remarks>
public static class BooleanAnd
{
    /// <summary>Step 1: the masked words to open.</summary>
    public static OpenMessage Begin(BitShareTensor x, BitShareTensor y, BooleanTriple triple)
    {
        if (!triple.A.Shape.SequenceEqual(x.Shape) || !triple.B.Shape.SequenceEqual(y.Shape) || x.Party != triple.A.Party || y.Party != x.Party)
        {
            throw new ArgumentException($"Boolean triple {RingShapes.Show(triple.A.Shape)} x {RingShapes.Show(triple.B.Shape)} of party {triple.A.Party} does not fit operands {RingShapes.Show(x.Shape)}, {RingShapes.Show(y.Shape)}.");
        }
        return new OpenMessage(new[] { x.Value.bitwise_xor(triple.A.Value), y.Value.bitwise_xor(triple.B.Value) }, OpenKind.Boolean);
    }

    /// <summary>Step 3: this party's XOR share of x AND y.</summary>
    public static BitShareTensor Finish(BooleanTriple triple, OpenMessage opened)
    {
        torch.Tensor e = opened.Values[0];
        torch.Tensor f = opened.Values[1];
        torch.Tensor z = triple.C.Value.bitwise_xor(e.bitwise_and(triple.B.Value)).bitwise_xor_(triple.A.Value.bitwise_and(f));
        if (triple.C.Party == 0)
        {
            z.bitwise_xor_(e.bitwise_and(f));
        }
        return new BitShareTensor(triple.C.Party, z);
    }
}
