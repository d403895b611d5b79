using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Ring;

/// <summary>Matrix products over Z_2^64 of int64 tensors (torch.matmul shape rules), exact mod 2^64.</summary>
/// <remarks>
/// Which algorithm is faster was measured, not assumed: on the 2-core AMD EPYC development machine libtorch's
/// int64 GEMM takes 1.9–5.5 s for 1024³ (its integer kernels are the unvectorised fallback), a float64 GEMM ~45 ms,
/// so the six float64 GEMMs of <see cref="LimbSplitMatMul"/> win by about 10×. CUDA has no int64 GEMM at all.
/// Hence <see cref="RingMatMulAlgorithm.Auto"/> picks the limb split on every device — except for small products on
/// the CPU (at most <see cref="ManagedWork"/> multiply-adds, 2-D operands), where the limb split's dozen libtorch calls
/// and buffers cost more than the arithmetic: a training step's [64, 31]·[31, 1] takes microseconds in a managed
/// loop (wrapping int64 arithmetic is the ring's). Measured in docs/benchmarks.md ("Small ring products").
/// </remarks>
public static class RingMatMul
{
    /// <summary>a · b mod 2^64.</summary>
    public static Tensor Multiply(Tensor a, Tensor b, RingMatMulAlgorithm algorithm = RingMatMulAlgorithm.Auto)
    {
        if (a.dtype != ScalarType.Int64 || b.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"Ring matmul takes int64 operands, not {a.dtype} and {b.dtype}.");
        }
        _ = Dealer.RingShapes.MatMul(a.shape, b.shape);
        if (algorithm == RingMatMulAlgorithm.Auto && IsSmall(a, b))
        {
            algorithm = RingMatMulAlgorithm.Managed;
        }
        return Resolve(algorithm, a.device) switch
        {
            RingMatMulAlgorithm.Int64 => Int64(a, b),
            RingMatMulAlgorithm.Managed => Managed(a, b),
            _ => LimbSplitMatMul.Multiply(a, b),
        };
    }

    /// <summary>The algorithm <see cref="RingMatMulAlgorithm.Auto"/> stands for on <paramref name="device"/>.</summary>
    public static RingMatMulAlgorithm Resolve(RingMatMulAlgorithm algorithm, Device device)
    {
        if (algorithm == RingMatMulAlgorithm.Managed && device.type != DeviceType.CPU)
        {
            throw new NotSupportedException($"The managed ring matmul runs on the CPU only, not on {device.type}. Use LimbSplit.");
        }
        if (algorithm == RingMatMulAlgorithm.Int64 && device.type != DeviceType.CPU)
        {
            throw new NotSupportedException($"The int64 ring matmul runs on the CPU only; {device.type} has no int64 GEMM. Use LimbSplit.");
        }
        return algorithm == RingMatMulAlgorithm.Auto ? RingMatMulAlgorithm.LimbSplit : algorithm;
    }

    /// <summary>The most multiply-adds <see cref="RingMatMulAlgorithm.Auto"/> computes with the managed loop.</summary>
    public const long ManagedWork = 1L << 18;

    private static bool IsSmall(Tensor a, Tensor b) =>
        a.device.type == DeviceType.CPU && a.dim() == 2 && b.dim() == 2 && a.shape[0] * a.shape[1] * b.shape[1] <= ManagedWork;

    /// <summary>c = a·b mod 2^64 by rows: c_i += a_il · b_l for each l (unchecked int64 arithmetic wraps mod 2^64).</summary>
    private static Tensor Managed(Tensor a, Tensor b)
    {
        if (a.dim() != 2 || b.dim() != 2)
        {
            throw new ArgumentException($"The managed ring matmul takes 2-D operands, not [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].");
        }
        int m = (int)a.shape[0], k = (int)a.shape[1], n = (int)b.shape[1];
        using Tensor left = a.contiguous();
        using Tensor right = b.contiguous();
        // Views of the operands' memory and the result's: no copies into managed arrays.
        ReadOnlySpan<long> x = MemoryMarshal.Cast<byte, long>(left.bytes);
        ReadOnlySpan<long> y = MemoryMarshal.Cast<byte, long>(right.bytes);
        Tensor result = zeros(new long[] { m, n }, ScalarType.Int64);
        Span<long> c = MemoryMarshal.Cast<byte, long>(result.bytes);
        unchecked
        {
            for (int i = 0; i < m; i++)
            {
                Span<long> row = c.Slice(i * n, n);
                for (int l = 0; l < k; l++)
                {
                    long factor = x[i * k + l];
                    if (factor == 0)
                    {
                        continue;
                    }
                    ReadOnlySpan<long> other = y.Slice(l * n, n);
                    for (int j = 0; j < n; j++)
                    {
                        row[j] += factor * other[j];
                    }
                }
            }
        }
        return result;
    }

    /// <summary>libtorch int64 matmul; a 2-D left operand is cut into row blocks computed in parallel.</summary>
    /// <remarks>libtorch runs its integer GEMM on one thread, so row blocks are what uses the other cores.</remarks>
    private static Tensor Int64(Tensor a, Tensor b)
    {
        int blocks = Math.Min(Environment.ProcessorCount, a.dim() == 2 ? (int)Math.Max(1, a.shape[0] / 64) : 1);
        if (blocks <= 1)
        {
            return a.matmul(b);
        }
        long rows = a.shape[0];
        var parts = new Tensor[blocks];
        Parallel.For(0, blocks, i =>
        {
            long start = rows * i / blocks;
            long end = rows * (i + 1) / blocks;
            using Tensor slice = a.narrow(0, start, end - start);
            parts[i] = slice.matmul(b);
        });
        Tensor result = cat(parts, 0);
        foreach (Tensor part in parts)
        {
            part.Dispose();
        }
        return result;
    }
}
