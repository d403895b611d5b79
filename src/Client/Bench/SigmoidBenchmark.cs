using static TorchSharp.torch;

namespace SecureCompute.Client.Bench;

/// <summary><c>bench sigmoid</c>: the secure sigmoid on inputs uniform in [−64, 64] against float64 <c>torch.sigmoid</c>.</summary>
internal static class SigmoidBenchmark
{
    private const double Bound = 64;

    /// <summary>The benchmark definition.</summary>
    public static ElementwiseBenchmark Create() => new(
        "sigmoid (clipped Chebyshev, degree 15 on [-8, 8])",
        n => rand(n, dtype: ScalarType.Float64).mul_(2 * Bound).sub_(Bound),
        (mpc, x) => mpc.Sigmoid(x),
        (_, x) => x.sigmoid(),
        x => x.sigmoid(),
        SigmoidModels.Table);
}
