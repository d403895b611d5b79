using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Ring;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Dealer;

/// <summary>Computes the derived components of a piece of material from the sum of its seeded masks (dealer side).</summary>
internal static class MaterialDerivation
{
    /// <summary>The derived components (in <see cref="MaterialRequest.Corrected"/> order) from the seeded masks.</summary>
    public static Tensor[] Derive(MaterialRequest request, Tensor[] masks, RingMatMulAlgorithm algorithm) => request.Kind switch
    {
        MaterialKind.ElementwiseTriple => new[] { masks[0].mul(masks[1]) },
        MaterialKind.MatMulTriple => new[] { RingMatMul.Multiply(masks[0], masks[1], algorithm) },
        MaterialKind.Square => new[] { masks[0].mul(masks[0]) },
        MaterialKind.Truncation => Truncation(masks[0], request.Bits),
        MaterialKind.BooleanTriple => new[] { masks[0].bitwise_and(masks[1]) },
        MaterialKind.EdaBit or MaterialKind.DaBit => new[] { masks[0].clone() },
        _ => throw new InvalidOperationException($"Unknown material kind {request.Kind}."),
    };

    private static Tensor[] Truncation(Tensor r, int bits)
    {
        Tensor msb = r.Below(0).to_type(ScalarType.Int64);
        Tensor shiftedLow = r.BitAnd(long.MaxValue).ShiftRightInPlace(bits);
        return new[] { msb, shiftedLow };
    }
}
