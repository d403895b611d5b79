namespace SecureCompute.Mpc.Ring;

/// <summary>How a matrix product over Z_2^64 is computed.</summary>
public enum RingMatMulAlgorithm
{
    /// <summary>The faster for the operands' device: limb-split float64 on CPU and CUDA (see docs/benchmarks.md).</summary>
    Auto,

    /// <summary>libtorch's int64 matmul (CPU only), row blocks run in parallel.</summary>
    Int64,

    /// <summary>Operands split into signed limbs, float64 GEMMs, recombined mod 2^64.</summary>
    LimbSplit,
}
