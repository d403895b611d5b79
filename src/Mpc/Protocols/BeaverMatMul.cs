using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Ring;
using SecureCompute.Mpc.Sharing;
using TorchSharp;

namespace SecureCompute.Mpc.Protocols;

/// <summary>Matrix product of two shared tensors with a matrix Beaver triple (A, B, C = A·B); result not truncated.</summary>
/// <remarks>
/// Steps, at party i:
/// 1. Begin: send E_i = X_i − A_i and D_i = Y_i − B_i.
/// 2. Open: E = X − A, D = Y − B (uniform).
/// 3. Finish: Z_i = C_i + E·B_i + A_i·D, and party 0 adds E·D — computed as E·(B_0 + D) + A_0·D, so every party
///    does exactly two ring GEMMs. Σ Z_i = X·Y mod 2^64.
/// Rounds: 1. Bytes per party: 8·(|X| + |Y|) each way. Dealer: 8·|Z|.
/// </remarks>
public static class BeaverMatMul
{
    /// <summary>Step 1: the masked operands to open.</summary>
    public static OpenMessage Begin(ShareTensor x, ShareTensor y, BeaverTriple triple)
    {
        BeaverMultiplication.Check(triple, MaterialKind.MatMulTriple, x, y);
        return new OpenMessage(new[] { x.Value.Minus(triple.A.Value), y.Value.Minus(triple.B.Value) });
    }

    /// <summary>Step 3: this party's share of X·Y from the opened E, D.</summary>
    public static ShareTensor Finish(BeaverTriple triple, OpenMessage opened, RingMatMulAlgorithm algorithm = RingMatMulAlgorithm.Auto)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor e = opened.Values[0];
        torch.Tensor d = opened.Values[1];
        torch.Tensor right = triple.C.Party == 0 ? triple.B.Value.Plus(d) : triple.B.Value;
        torch.Tensor z = triple.C.Value.Plus(RingMatMul.Multiply(e, right, algorithm)).PlusInPlace(RingMatMul.Multiply(triple.A.Value, d, algorithm));
        return new ShareTensor(triple.C.Party, z.MoveToOuterDisposeScope());
    }
}
