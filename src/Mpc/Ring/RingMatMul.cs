using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Ring;

/// <summary>Matrix products over Z_2^64 of int64 tensors (torch.matmul shape rules), exact mod 2^64.</summary>
/// <remarks>
/// Which algorithm is faster was measured, not assumed: on the 2-core AMD EPYC development machine libtorch's
/// int64 GEMM takes 1.9–5.5 s for 1024³ (its integer kernels are the unvectorised fallback), a float64 GEMM ~45 ms,
/// so the six float64 GEMMs of <see cref="LimbSplitMatMul"/> win by about 10×. CUDA has no int64 GEMM at all.
/// Hence <see cref="RingMatMulAlgorithm.Auto"/> picks the limb split on every device.
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
        return Resolve(algorithm, a.device) switch
        {
            RingMatMulAlgorithm.Int64 => Int64(a, b),
            _ => LimbSplitMatMul.Multiply(a, b),
        };
    }

    /// <summary>The algorithm <see cref="RingMatMulAlgorithm.Auto"/> stands for on <paramref name="device"/>.</summary>
    public static RingMatMulAlgorithm Resolve(RingMatMulAlgorithm algorithm, Device device)
    {
        if (algorithm == RingMatMulAlgorithm.Int64 && device.type != DeviceType.CPU)
        {
            throw new NotSupportedException($"The int64 ring matmul runs on the CPU only; {device.type} has no int64 GEMM. Use LimbSplit.");
        }
        return algorithm == RingMatMulAlgorithm.Auto ? RingMatMulAlgorithm.LimbSplit : algorithm;
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
