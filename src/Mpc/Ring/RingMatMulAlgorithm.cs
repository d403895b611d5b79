namespace SecureCompute.Mpc.Ring;

/// <summary>How a matrix product over Z_2^64 is computed.</summary>
public enum RingMatMulAlgorithm
{
    /// <summary>The faster for the operands and their device: on the CPU a managed loop for small products, the limb
    /// split for the rest; the limb split on CUDA (see docs/benchmarks.md).</summary>
    Auto,

    /// <summary>libtorch's int64 matmul (CPU only), row blocks run in parallel.</summary>
    Int64,

    /// <summary>Operands split into signed limbs, float64 GEMMs, recombined mod 2^64.</summary>
    LimbSplit,

    /// <summary>A managed int64 loop (CPU, 2-D operands), for products too small to repay the limb split's many calls.</summary>
    Managed,
}
