using static TorchSharp.torch;

namespace SecureCompute.Client.Bench;

/// <summary><c>bench compare</c>: the sign [x &lt; 0] of shared fixed-point values, exact, against plaintext <c>x &lt; 0</c>.</summary>
internal static class CompareBenchmark
{
    /// <summary>Inputs uniform in ±2^20 (any magnitude would do: the protocol is exact over the whole ring).</summary>
    private const double Bound = 1 << 20;

    /// <summary>The benchmark definition.</summary>
    public static ElementwiseBenchmark Create() => new(
        "sign (x < 0)",
        n => rand(n, dtype: ScalarType.Float64).mul_(2 * Bound).sub_(Bound),
        (mpc, x) => mpc.LessThanZero(x),
        // The secure result is an integer 0/1; decoding divides by 2^f, so the reference is scaled the same way.
        (mpc, x) => mpc.Format.Encode(x).lt(0).to_type(ScalarType.Float64).div_(mpc.Format.Scale),
        x => x.lt(0));
}
