using SecureCompute.Mpc.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Encoding;

/// <summary>
/// Fixed-point encoding of reals into the ring Z_2^64: <c>encode(v) = round(v · 2^f)</c> as a two's-complement int64.
/// </summary>
/// <remarks>
/// The representable range is |v| &lt; 2^(62−f): encoded magnitudes stay below 2^62, which is the range in which
/// <see cref="Protocols.Truncation"/> is exact to one unit in the last place. A value outside it is an error, never a wrap.
/// </remarks>
public sealed record FixedPointFormat
{
    /// <summary>The default number of fractional bits.</summary>
    public const int DefaultFractionalBits = 16;

    /// <summary>Encoded values must satisfy |x| &lt; 2^<see cref="MagnitudeBits"/>.</summary>
    public const int MagnitudeBits = 62;

    /// <summary>The default format, 16 fractional bits.</summary>
    public static FixedPointFormat Default { get; } = new(DefaultFractionalBits);

    /// <summary>Creates a format with <paramref name="fractionalBits"/> bits after the binary point (1..40).</summary>
    public FixedPointFormat(int fractionalBits)
    {
        if (fractionalBits is < 1 or > 40)
        {
            throw new ArgumentOutOfRangeException(nameof(fractionalBits), fractionalBits, "Fractional bits must be between 1 and 40.");
        }
        FractionalBits = fractionalBits;
    }

    /// <summary>Bits after the binary point.</summary>
    public int FractionalBits { get; }

    /// <summary>2^f, the scale of one unit.</summary>
    public long Scale => 1L << FractionalBits;

    /// <summary>One unit in the last place, 2^−f.</summary>
    public double Resolution => 1.0 / Scale;

    /// <summary>Exclusive bound on the magnitude of an encodable real, 2^(62−f).</summary>
    public double MaxMagnitude => Math.Pow(2, MagnitudeBits - FractionalBits);

    /// <summary>Encodes a float64 tensor (any shape) to int64 ring elements.</summary>
    /// <param name="values">The reals; converted to float64 if needed.</param>
    /// <param name="what">Names the tensor in an error (e.g. a file name); never its contents.</param>
    /// <exception cref="FixedPointRangeException">An element is NaN, infinite or outside ±<see cref="MaxMagnitude"/>.</exception>
    public Tensor Encode(Tensor values, string what = "tensor")
    {
        using var scope = NewDisposeScope();
        Tensor real = values.to_type(ScalarType.Float64);
        Tensor scaled = real.Times((double)Scale).round_();
        Tensor bad = scaled.abs().AtLeast(Math.Pow(2, MagnitudeBits)).logical_or_(scaled.isnan()).logical_or_(scaled.isinf());
        if (bad.any().item<bool>())
        {
            long[] index = FirstIndex(bad);
            throw new FixedPointRangeException(what, index, MaxMagnitude);
        }
        return scaled.to_type(ScalarType.Int64).MoveToOuterDisposeScope();
    }

    /// <summary>Encodes one public real.</summary>
    public long Encode(double value)
    {
        double scaled = Math.Round(value * Scale);
        if (double.IsNaN(scaled) || Math.Abs(scaled) >= Math.Pow(2, MagnitudeBits))
        {
            throw new FixedPointRangeException("scalar", Array.Empty<long>(), MaxMagnitude);
        }
        return (long)scaled;
    }

    /// <summary>Decodes int64 ring elements (two's complement) to float64 reals.</summary>
    public Tensor Decode(Tensor ring) => ring.to_type(ScalarType.Float64).DivideInPlace(Scale);

    private static long[] FirstIndex(Tensor mask)
    {
        using Tensor positions = mask.nonzero();
        using Tensor first = positions[0];
        return first.data<long>().ToArray();
    }
}
