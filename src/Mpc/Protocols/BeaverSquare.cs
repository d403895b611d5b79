using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Sharing;
using TorchSharp;

namespace SecureCompute.Mpc.Protocols;

/// <summary>Element-wise square of a shared tensor with a square pair (a, a ⊙ a); result not truncated.</summary>
/// <remarks>
/// Steps, at party i:
/// 1. Begin: send ε_i = x_i − a_i.
/// 2. Open: ε = x − a (uniform).
/// 3. Finish: z_i = (a²)_i + 2·ε ⊙ a_i, and party 0 adds ε ⊙ ε; Σ z_i = (ε + a)² = x².
/// Rounds: 1. Bytes per party: 8·|x| each way — half a multiplication's. Dealer: 8·|x|.
/// </remarks>
public static class BeaverSquare
{
    /// <summary>Step 1: the masked operand to open.</summary>
    public static OpenMessage Begin(ShareTensor x, SquarePair pair)
    {
        if (!pair.A.Shape.SequenceEqual(x.Shape) || pair.A.Party != x.Party)
        {
            throw new ArgumentException($"Square pair {RingShapes.Show(pair.A.Shape)} of party {pair.A.Party} does not fit operand {RingShapes.Show(x.Shape)} of party {x.Party}.");
        }
        return new OpenMessage(new[] { x.Value.Minus(pair.A.Value) });
    }

    /// <summary>Step 3: this party's share of x ⊙ x.</summary>
    public static ShareTensor Finish(SquarePair pair, OpenMessage opened)
    {
        torch.Tensor epsilon = opened.Values[0];
        torch.Tensor z = pair.ASquared.Value.Plus(epsilon.mul(pair.A.Value).TimesInPlace(2));
        if (pair.A.Party == 0)
        {
            z.PlusInPlace(epsilon.mul(epsilon));
        }
        return new ShareTensor(pair.A.Party, z);
    }
}
