using SecureCompute.Mpc.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Ring;

/// <summary>
/// Ring matmul through float64 GEMMs: each operand is split into three signed limbs, the limb products that
/// reach below bit 64 are formed with five float64 GEMMs (one saved by Karatsuba), and recombined mod 2^64.
/// </summary>
/// <remarks>
/// Steps:
/// 1. Write x mod 2^64 = d0 + d1·2^22 + d2·2^43 with signed digits d0 ∈ [−2^21, 2^21), d1, d2 ∈ [−2^20, 2^20).
/// 2. Of the nine limb products only six have an offset below 64: (0,0) at 0, (0,1) + (1,0) at 22,
///    (0,2) + (2,0) at 43 and (1,1) at 44; (1,2), (2,1), (2,2) vanish mod 2^64.
/// 3. Five GEMMs: P00 = d0·e0, P11 = d1·e1, S = (d0 + d1)·(e0 + e1), so that (0,1) + (1,0) = S − P00 − P11
///    (Karatsuba), and Q = [d0 | d2]·[e2 ; e0] = (0,2) + (2,0) as one GEMM over the doubled inner dimension.
/// 4. Exactness: every float64 partial sum must be an integer of magnitude ≤ 2^53. The largest terms are those of
///    S, |(d0 + d1)(e0 + e1)| ≤ (3·2^20)² = 9·2^40, so an inner dimension K ≤ 910 is exact in any summation order
///    (P00: 2^42 per term, Q: 2^41 per term over 2K terms, both within bound for K ≤ 910). A longer inner
///    dimension is cut into equal chunks of at most 910 whose exact int64 results are added.
/// 5. Each exact product is converted to int64, shifted to its offset (multiplication wraps mod 2^64) and summed.
/// This is also the way on CUDA, which has no int64 GEMM.
/// </remarks>
public static class LimbSplitMatMul
{
    /// <summary>The longest inner dimension computed in one pass exactly: ⌊2^53 / (9·2^40)⌋.</summary>
    public const long MaxExactInnerDimension = 910;

    private static readonly int[] Widths = { 22, 21, 21 };
    private static readonly int[] Offsets = { 0, 22, 43 };

    /// <summary>a · b mod 2^64 for int64 tensors with torch.matmul shape rules.</summary>
    public static Tensor Multiply(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        Tensor[] x = SplitLimbs(a);
        Tensor[] y = SplitLimbs(b);
        long k = a.shape[^1];
        long bInnerDim = b.dim() == 1 ? 0 : b.dim() - 2;
        long chunks = (k + MaxExactInnerDimension - 1) / MaxExactInnerDimension;
        Tensor? total = null;
        for (long c = 0; c < chunks; c++)
        {
            long start = k * c / chunks;
            long length = k * (c + 1) / chunks - start;
            Tensor[] xc = chunks == 1 ? x : x.Select(l => l.narrow(-1, start, length)).ToArray();
            Tensor[] yc = chunks == 1 ? y : y.Select(l => l.narrow(bInnerDim, start, length)).ToArray();
            Tensor part = MultiplyLimbs(xc, yc, bInnerDim);
            total = total is null ? part : total.PlusInPlace(part);
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>Splits x into its three signed limbs as float64 tensors (exposed for tests).</summary>
    public static Tensor[] SplitLimbs(Tensor x) => x.device.type == DeviceType.CPU ? SplitLimbsOnCpu(x) : SplitLimbsWithTorch(x);

    /// <summary>The device-generic split: a dozen element-wise tensor operations.</summary>
    internal static Tensor[] SplitLimbsWithTorch(Tensor x)
    {
        using var scope = NewDisposeScope();
        var limbs = new Tensor[Widths.Length];
        Tensor rest = x;
        for (int i = 0; i < Widths.Length; i++)
        {
            long half = 1L << (Widths[i] - 1);
            long mask = (1L << Widths[i]) - 1;
            Tensor digit = rest.Plus(half).BitAndInPlace(mask).MinusInPlace(half);
            limbs[i] = digit.to_type(ScalarType.Float64).MoveToOuterDisposeScope();
            if (i + 1 < Widths.Length)
            {
                rest = rest.Minus(digit).ShiftRightInPlace(Widths[i]);
            }
        }
        return limbs;
    }

    /// <summary>The CPU split: one pass over the elements, in parallel blocks (about 5× fewer memory passes).</summary>
    private static unsafe Tensor[] SplitLimbsOnCpu(Tensor x)
    {
        using Tensor source = x.contiguous();
        long count = source.numel();
        Tensor[] limbs = Enumerable.Range(0, Widths.Length).Select(_ => empty(source.shape, ScalarType.Float64)).ToArray();
        if (count == 0)
        {
            return limbs;
        }
        fixed (byte* input = source.bytes, d0 = limbs[0].bytes, d1 = limbs[1].bytes, d2 = limbs[2].bytes)
        {
            var from = (long*)input;
            var to0 = (double*)d0;
            var to1 = (double*)d1;
            var to2 = (double*)d2;
            const long block = 1 << 16;
            long blocks = (count + block - 1) / block;
            Action<long> split = b =>
            {
                long end = Math.Min(count, (b + 1) * block);
                for (long i = b * block; i < end; i++)
                {
                    long v = from[i];
                    long e0 = ((v + (1L << 21)) & ((1L << 22) - 1)) - (1L << 21);
                    v = (v - e0) >> 22;
                    long e1 = ((v + (1L << 20)) & ((1L << 21) - 1)) - (1L << 20);
                    v = (v - e1) >> 21;
                    long e2 = ((v + (1L << 20)) & ((1L << 21) - 1)) - (1L << 20);
                    to0[i] = e0;
                    to1[i] = e1;
                    to2[i] = e2;
                }
            };
            if (blocks == 1)
            {
                split(0);   // a small operand: no tasks to schedule
            }
            else
            {
                Parallel.For(0, blocks, split);
            }
        }
        return limbs;
    }

    /// <summary>Steps 3–5 for one chunk of the inner dimension, from the operands' limbs.</summary>
    private static Tensor MultiplyLimbs(Tensor[] x, Tensor[] y, long bInnerDim)
    {
        Tensor p00 = Product(x[0], y[0]);
        Tensor p11 = Product(x[1], y[1]);
        Tensor middle = Product(x[0].Plus(x[1]), y[0].Plus(y[1])).MinusInPlace(p00).MinusInPlace(p11);
        Tensor outer = Product(cat(new[] { x[0], x[2] }, -1), cat(new[] { y[2], y[0] }, bInnerDim));
        return p00.PlusInPlace(middle.TimesInPlace(1L << Offsets[1])).PlusInPlace(outer.TimesInPlace(1L << Offsets[2])).PlusInPlace(p11.TimesInPlace(1L << (Offsets[1] + Offsets[1])));
    }

    private static Tensor Product(Tensor x, Tensor y) => x.matmul(y).to_type(ScalarType.Int64);
}
