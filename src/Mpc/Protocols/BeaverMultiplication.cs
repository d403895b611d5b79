using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Sharing;
using TorchSharp;

namespace SecureCompute.Mpc.Protocols;

/// <summary>Element-wise product of two shared tensors with a Beaver triple (a, b, c = a ⊙ b); result not truncated.</summary>
/// <remarks>
/// Steps, at party i:
/// 1. Begin: send ε_i = x_i − a_i and δ_i = y_i − b_i (one message, both tensors).
/// 2. Open: ε = x − a and δ = y − b, uniform because a and b are.
/// 3. Finish: z_i = c_i + ε ⊙ b_i + a_i ⊙ δ, and party 0 adds ε ⊙ δ; Σ z_i = x ⊙ y exactly mod 2^64.
/// Rounds: 1. Bytes per party: 8·(|x| + |y|) up and down. Dealer: 8·|z|. For fixed-point operands the product
/// has 2f fractional bits: follow with <see cref="Truncation"/>.
/// </remarks>
public static class BeaverMultiplication
{
    /// <summary>Step 1: the masked operands to open.</summary>
    public static OpenMessage Begin(ShareTensor x, ShareTensor y, BeaverTriple triple)
    {
        Check(triple, MaterialKind.ElementwiseTriple, x, y);
        return new OpenMessage(new[] { x.Value.Minus(triple.A.Value), y.Value.Minus(triple.B.Value) });
    }

    /// <summary>Step 3: this party's share of x ⊙ y from the opened ε, δ.</summary>
    public static ShareTensor Finish(BeaverTriple triple, OpenMessage opened)
    {
        torch.Tensor epsilon = opened.Values[0];
        torch.Tensor delta = opened.Values[1];
        torch.Tensor z = triple.C.Value.Plus(epsilon.mul(triple.B.Value)).PlusInPlace(triple.A.Value.mul(delta));
        if (triple.C.Party == 0)
        {
            z.PlusInPlace(epsilon.mul(delta));
        }
        return new ShareTensor(triple.C.Party, z);
    }

    internal static void Check(BeaverTriple triple, MaterialKind kind, ShareTensor x, ShareTensor y)
    {
        if (triple.Request.Kind != kind || !triple.Request.ShapeA.SequenceEqual(x.Shape) || !triple.Request.ShapeB.SequenceEqual(y.Shape))
        {
            throw new ArgumentException($"Triple {triple.Request} does not fit operands {RingShapes.Show(x.Shape)} and {RingShapes.Show(y.Shape)}.");
        }
        if (x.Party != triple.A.Party || y.Party != triple.A.Party)
        {
            throw new ArgumentException($"Operands of parties {x.Party}, {y.Party} used with party {triple.A.Party}'s triple.");
        }
    }
}
