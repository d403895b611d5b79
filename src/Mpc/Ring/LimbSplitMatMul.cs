using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Ring;

/// <summary>
/// Ring matmul through float64 GEMMs: each operand is split into three signed limbs, the limb products that
/// reach below bit 64 are computed as float64 GEMMs, and the results are recombined mod 2^64.
/// </summary>
/// <remarks>
/// Steps:
/// 1. Write x mod 2^64 = d0 + d1·2^22 + d2·2^43 with signed digits d0 ∈ [−2^21, 2^21), d1, d2 ∈ [−2^20, 2^20).
/// 2. Of the nine limb products only six have an offset below 64: (0,0) at 0, (0,1) and (1,0) at 22,
///    (0,2), (2,0) at 43 and (1,1) at 44; (1,2), (2,1), (2,2) vanish mod 2^64.
/// 3. Each limb product is a float64 GEMM. Every term has |d·e| ≤ 2^42, so a dot product over K ≤ 2048 terms has
///    every partial sum an integer of magnitude ≤ 2^53, which float64 represents exactly in any summation order.
///    A longer inner dimension is cut into chunks of ≤ 2048 whose exact results are added in int64.
/// 4. Each exact product is converted to int64, shifted to its offset (multiplication wraps mod 2^64) and summed.
/// This is also the way on CUDA, which has no int64 GEMM.
/// </remarks>
public static class LimbSplitMatMul
{
    /// <summary>The longest inner dimension one float64 GEMM takes exactly: 2^53 / 2^42.</summary>
    public const long MaxExactInnerDimension = 2048;

    private static readonly int[] Widths = { 22, 21, 21 };
    private static readonly int[] Offsets = { 0, 22, 43 };

    /// <summary>a · b mod 2^64 for int64 tensors with torch.matmul shape rules.</summary>
    public static Tensor Multiply(Tensor a, Tensor b)
    {
        long k = a.shape[^1];
        long bInnerDim = b.dim() == 1 ? 0 : b.dim() - 2;
        if (k <= MaxExactInnerDimension)
        {
            return MultiplyExact(a, b);
        }
        using var scope = NewDisposeScope();
        Tensor? total = null;
        for (long start = 0; start < k; start += MaxExactInnerDimension)
        {
            long length = Math.Min(MaxExactInnerDimension, k - start);
            Tensor part = MultiplyExact(a.narrow(-1, start, length), b.narrow(bInnerDim, start, length));
            total = total is null ? part : total.add_(part);
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>Splits x into its three signed limbs as float64 tensors (exposed for tests).</summary>
    public static Tensor[] SplitLimbs(Tensor x)
    {
        using var scope = NewDisposeScope();
        var limbs = new Tensor[Widths.Length];
        Tensor rest = x;
        for (int i = 0; i < Widths.Length; i++)
        {
            long half = 1L << (Widths[i] - 1);
            long mask = (1L << Widths[i]) - 1;
            Tensor digit = rest.add(half).bitwise_and_(mask).sub_(half);
            limbs[i] = digit.to_type(ScalarType.Float64).MoveToOuterDisposeScope();
            if (i + 1 < Widths.Length)
            {
                rest = rest.sub(digit).bitwise_right_shift_(Widths[i]);
            }
        }
        return limbs;
    }

    private static Tensor MultiplyExact(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        Tensor[] x = SplitLimbs(a);
        Tensor[] y = SplitLimbs(b);
        Tensor result = Product(x[0], y[0]);
        result.add_(Product(x[0], y[1]).add_(Product(x[1], y[0])).mul_(1L << Offsets[1]));
        result.add_(Product(x[0], y[2]).add_(Product(x[2], y[0])).mul_(1L << Offsets[2]));
        result.add_(Product(x[1], y[1]).mul_(1L << (Offsets[1] + Offsets[1])));
        return result.MoveToOuterDisposeScope();
    }

    private static Tensor Product(Tensor x, Tensor y) => x.matmul(y).to_type(ScalarType.Int64);
}
