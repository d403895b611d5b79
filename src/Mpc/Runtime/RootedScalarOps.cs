using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Runtime;

/// <summary>
/// Tensor operations whose scalar arguments stay alive for the whole native call.
/// </summary>
/// <remarks>
/// TorchSharp turns a number (or the implicit alpha = 1 of <c>add</c>/<c>sub</c>) into a temporary <see cref="Scalar"/>
/// and passes only its handle to libtorch; nothing keeps the temporary reachable, so a garbage collection started by
/// another thread can finalize it mid-call (reproduced: "alpha must not be a floating point number"). Here the implicit
/// alpha is a static Scalar that is never collected, and every other Scalar is held by a <c>using</c> until the call has
/// returned. Protocol code calls these instead of TorchSharp's scalar overloads.
/// </remarks>
public static class RootedScalarOps
{
    private static readonly Scalar One = 1L.ToScalar();
    private static readonly Scalar MinusOne = (-1L).ToScalar();

    /// <summary>Runs <paramref name="op"/> with a Scalar that stays alive until it returns.</summary>
    private static Tensor Rooted(long s, Func<Scalar, Tensor> op)
    {
        using Scalar scalar = s.ToScalar();
        return op(scalar);
    }

    /// <summary>Runs <paramref name="op"/> with a Scalar that stays alive until it returns.</summary>
    private static Tensor Rooted(double s, Func<Scalar, Tensor> op)
    {
        using Scalar scalar = s.ToScalar();
        return op(scalar);
    }

    /// <summary>Runs <paramref name="op"/> with a 0-d tensor on <paramref name="a"/>'s device that stays alive until it returns.</summary>
    private static Tensor OnDevice(Tensor a, long value, Func<Tensor, Tensor> op)
    {
        using Tensor operand = tensor(value, device: a.device);
        return op(operand);
    }

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a + s.</summary>
    public static Tensor Plus(this Tensor a, long s) =>
        Rooted(s, scalar => a.add(scalar));

    /// <summary>a += b.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>a += s.</summary>
    public static Tensor PlusInPlace(this Tensor a, long s) =>
        Rooted(s, scalar => a.add_(scalar));

    /// <summary>a − b.</summary>
    public static Tensor Minus(this Tensor a, Tensor b) => a.add(b, MinusOne);

    /// <summary>a − s.</summary>
    public static Tensor Minus(this Tensor a, long s) =>
        Rooted(s, scalar => a.sub(scalar));

    /// <summary>a −= b.</summary>
    public static Tensor MinusInPlace(this Tensor a, Tensor b) => a.add_(b, MinusOne);

    /// <summary>a −= s.</summary>
    public static Tensor MinusInPlace(this Tensor a, long s) =>
        Rooted(s, scalar => a.sub_(scalar));

    /// <summary>a ⊙ s.</summary>
    public static Tensor Times(this Tensor a, long s) =>
        Rooted(s, scalar => a.mul(scalar));

    /// <summary>a ⊙ s for a real s.</summary>
    public static Tensor Times(this Tensor a, double s) =>
        Rooted(s, scalar => a.mul(scalar));

    /// <summary>a ⊙= s.</summary>
    public static Tensor TimesInPlace(this Tensor a, long s) =>
        Rooted(s, scalar => a.mul_(scalar));

    /// <summary>a ⊙= s for a real s.</summary>
    public static Tensor TimesInPlace(this Tensor a, double s) =>
        Rooted(s, scalar => a.mul_(scalar));

    /// <summary>a /= s.</summary>
    public static Tensor DivideInPlace(this Tensor a, double s) =>
        Rooted(s, scalar => a.div_(scalar));

    /// <summary>a AND s (bit-wise).</summary>
    public static Tensor BitAnd(this Tensor a, long s) =>
        OnDevice(a, s, t => a.bitwise_and(t));

    /// <summary>a AND= s (bit-wise).</summary>
    public static Tensor BitAndInPlace(this Tensor a, long s) =>
        OnDevice(a, s, t => a.bitwise_and_(t));

    /// <summary>a &gt;&gt; bits (arithmetic).</summary>
    public static Tensor ShiftRight(this Tensor a, int bits) =>
        OnDevice(a, (long)bits, t => a.bitwise_right_shift(t));

    /// <summary>a &gt;&gt;= bits (arithmetic).</summary>
    public static Tensor ShiftRightInPlace(this Tensor a, int bits) =>
        OnDevice(a, (long)bits, t => a.bitwise_right_shift_(t));

    /// <summary>a &lt;&lt; bits.</summary>
    public static Tensor ShiftLeft(this Tensor a, int bits) =>
        OnDevice(a, (long)bits, t => a.bitwise_left_shift(t));

    /// <summary>a &lt; s, element-wise.</summary>
    public static Tensor Below(this Tensor a, long s) =>
        Rooted(s, scalar => a.lt(scalar));

    /// <summary>a ≥ s, element-wise.</summary>
    public static Tensor AtLeast(this Tensor a, double s) =>
        Rooted(s, scalar => a.ge(scalar));

    /// <summary>a = s, element-wise.</summary>
    public static Tensor EqualTo(this Tensor a, long s) =>
        Rooted(s, scalar => a.eq(scalar));

    /// <summary>a ≠ s, element-wise.</summary>
    public static Tensor NotEqualTo(this Tensor a, long s) =>
        Rooted(s, scalar => a.ne(scalar));
}
