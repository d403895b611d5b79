using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Sharing;
using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Secret;

/// <summary>
/// A secret fixed-point tensor: the engine's shares of it and the number of fractional bits its ring values carry
/// (its scale). A program writes <c>x.MatMul(w) + b</c>; the type decides where a truncation goes.
/// </summary>
/// <remarks>
/// Scale rules (f = the engine's fractional bits):
/// 1. A product adds its factors' scales and is not truncated: x·w at f·f is a 2f tensor (1 round, not 2). A 0/1 mask
///    or one-hot label is an integer (scale 0), so masking costs no truncation at all.
/// 2. A product whose scale would pass 2f first truncates each factor wider than f down to f (1 round each): every
///    value then stays below 2^(62 − 2f) in magnitude, the same assumption every fixed-point product makes. The
///    exception: a product up to 3f whose public <see cref="Range"/> proves it below 2^61 as a ring element stays
///    untruncated (σ(x·w) − y times standardised rows: the logistic gradient, one truncation round saved).
/// 3. A sum of two scales lifts the narrower one (a public multiply, free) while the result stays within 2f;
///    otherwise the wider one is truncated.
/// 4. A function takes its input at any scale: a sign ignores the scale, and the Chebyshev map folds the extra bits
///    into its own truncation (<see cref="MpcEngine.Approximate"/>), so σ(x·w) costs the sigmoid's rounds only.
/// 5. <see cref="Scale"/> (a public real factor, 24 significant bits) works at f: a wider tensor is truncated first,
///    since its ring values times the encoded factor could pass 2^62.
/// </remarks>
public sealed class SecretTensor : IDisposable
{
    private SecretTensor(MpcEngine engine, SharedTensor shares, int fractionalBits, ValueRange range)
    {
        if (fractionalBits < 0 || fractionalBits > 3 * engine.Format.FractionalBits)
        {
            throw new ArgumentOutOfRangeException(nameof(fractionalBits), fractionalBits, $"A secret tensor carries 0..{3 * engine.Format.FractionalBits} fractional bits.");
        }
        Engine = engine;
        Shares = shares;
        FractionalBits = fractionalBits;
        Range = range;
    }

    /// <summary>The engine whose shares these are.</summary>
    public MpcEngine Engine { get; }

    /// <summary>The hosted parties' shares.</summary>
    public SharedTensor Shares { get; }

    /// <summary>Fractional bits of the ring values: 0 for integers, f for fixed point, up to 3f for an untruncated product.</summary>
    public int FractionalBits { get; }

    /// <summary>A public interval the real values lie in (<see cref="ValueRange.Unknown"/> when nothing is known).</summary>
    public ValueRange Range { get; }

    /// <summary>The tensor's shape.</summary>
    public long[] Shape => Shares.Shape;

    private int F => Engine.Format.FractionalBits;

    /// <summary>Wraps shares that carry <paramref name="fractionalBits"/> fractional bits (default: the engine's f).</summary>
    public static SecretTensor FromShares(MpcEngine engine, SharedTensor shares, int? fractionalBits = null) =>
        new(engine, shares, fractionalBits ?? engine.Format.FractionalBits, ValueRange.Unknown);

    /// <summary>Party <paramref name="owner"/>'s real values, shared (zero sharing; <paramref name="real"/> is null where the owner is not hosted).</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="shape">The shape (public).</param>
    /// <param name="real">The owner's values; null where the owner is not hosted.</param>
    /// <param name="owner">The owning party.</param>
    /// <param name="range">A public range every party knows the values lie in (e.g. z-scores); the owner checks its
    /// own values against it, so a wrong claim fails at the owner instead of overflowing the ring later.</param>
    public static SecretTensor Share(MpcEngine engine, long[] shape, Tensor? real, int owner, ValueRange? range = null) =>
        new(engine, engine.ShareReal(shape, Checked(real, range), owner), engine.Format.FractionalBits, range ?? ValueRange.Unknown);

    /// <summary>Party <paramref name="owner"/>'s integers (e.g. one-hot labels), shared at scale 0; <paramref name="range"/> as for <see cref="Share"/>.</summary>
    public static SecretTensor ShareIntegers(MpcEngine engine, long[] shape, Tensor? integers, int owner, ValueRange? range = null) =>
        new(engine, engine.Share(shape, Checked(integers, range)?.to_type(ScalarType.Int64), owner), 0, range ?? ValueRange.Unknown);

    /// <summary>
    /// A public real tensor as a trivial sharing — party 0 holds the encoded value, every other party 0 — for values
    /// every party knows (an initial weight drawn from a public seed); costs nothing and draws no randomness.
    /// </summary>
    public static SecretTensor Public(MpcEngine engine, Tensor real)
    {
        using Tensor ring = engine.Format.Encode(real, "public value");
        var shares = engine.HostedParties.Select(p => new ShareTensor(p, p == 0 ? ring.to(engine.Device).clone() : zeros(ring.shape, ScalarType.Int64, engine.Device))).ToArray();
        using Tensor values = real.to_type(ScalarType.Float64).cpu().contiguous();
        return new SecretTensor(engine, new SharedTensor(shares), engine.Format.FractionalBits, ValueRange.Of(values.data<double>().ToArray()));
    }

    /// <summary>The same values at f fractional bits: one truncation round when wider, a free lift when narrower.</summary>
    public SecretTensor Normalised() => At(F);

    /// <summary>The same values at exactly <paramref name="bits"/> fractional bits (truncating or lifting).</summary>
    public SecretTensor At(int bits)
    {
        if (bits == FractionalBits)
        {
            return With(Shares.Copy());
        }
        return bits < FractionalBits
            ? With(Engine.Truncate(Shares, FractionalBits - bits), bits)
            : With(Shares.MultiplyPublic(1L << (bits - FractionalBits)), bits);
    }

    /// <summary>x + y (scales aligned by rule 3).</summary>
    public static SecretTensor operator +(SecretTensor x, SecretTensor y) => Align(x, y, (a, b) => a.Add(b), x.Range + y.Range);

    /// <summary>x − y (scales aligned by rule 3).</summary>
    public static SecretTensor operator -(SecretTensor x, SecretTensor y) => Align(x, y, (a, b) => a.Subtract(b), x.Range - y.Range);

    /// <summary>−x.</summary>
    public static SecretTensor operator -(SecretTensor x) => x.With(x.Shares.Negate(), range: -x.Range);

    /// <summary>x ⊙ y element-wise (broadcasting), one round; the scales add (rules 1–2).</summary>
    public static SecretTensor operator *(SecretTensor x, SecretTensor y) => Product(x, y, (a, b) => x.Engine.Multiply(a, b), x.Range * y.Range);

    /// <summary>x ⊙ x, one round (a square pair, cheaper than a triple); the scale doubles (rules 1–2).</summary>
    public SecretTensor Square()
    {
        if (2 * FractionalBits <= 2 * F || (2 * FractionalBits <= 3 * F && Range.Squared().Fits(2 * FractionalBits)))
        {
            return With(Engine.Square(Shares), 2 * FractionalBits, Range.Squared());
        }
        using SecretTensor normal = Normalised();
        return normal.Square();
    }

    /// <summary>x · y, one round; the scales add (rules 1–2).</summary>
    public SecretTensor MatMul(SecretTensor y) => Product(this, y, (a, b) => Engine.MatMul(a, b), (Range * y.Range).SumOf(Shape[^1]));

    /// <summary>x + c for a public real c (broadcasting).</summary>
    public SecretTensor AddPublic(Tensor real)
    {
        using Tensor ring = Encode(real, FractionalBits);
        using Tensor values = real.to_type(ScalarType.Float64).cpu().contiguous();
        return With(Shares.AddPublic(ring), range: Range + ValueRange.Of(values.data<double>().ToArray()));
    }

    /// <summary>x·c for a public real c: one round at f bits, two when wider (rule 5).</summary>
    public SecretTensor Scale(double factor)
    {
        if (!double.IsFinite(factor) || factor == 0)
        {
            throw new ArgumentException("The factor must be finite and non-zero.", nameof(factor));
        }
        if (FractionalBits == F)
        {
            return With(Engine.Scale(Shares, factor), range: Range.Times(factor));
        }
        using SecretTensor normal = Normalised();
        return normal.Scale(factor);
    }

    /// <summary>xᵀ (last two dimensions).</summary>
    public SecretTensor Transpose() => With(Shares.Transpose());

    /// <summary>The same values in shape <paramref name="shape"/>.</summary>
    public SecretTensor Reshape(params long[] shape) => With(Shares.Reshape(shape));

    /// <summary><paramref name="length"/> entries from <paramref name="start"/> along <paramref name="dimension"/>.</summary>
    public SecretTensor Slice(long dimension, long start, long length) => With(Shares.Slice(dimension, start, length));

    /// <summary>Entries at public indices along a dimension (e.g. a minibatch's rows).</summary>
    public SecretTensor Gather(long dimension, Tensor indices) => With(Shares.Gather(dimension, indices));

    /// <summary>Sum along <paramref name="dimension"/> (local).</summary>
    public SecretTensor Sum(long dimension, bool keepDimension = false) =>
        With(Shares.Sum(dimension, keepDimension), range: Range.SumOf(Shape[dimension < 0 ? Shape.Length + dimension : dimension]));

    /// <summary>The tensor broadcast to <paramref name="shape"/> (local).</summary>
    public SecretTensor Expand(params long[] shape) => With(Shares.Expand(shape));

    /// <summary>Tensors stacked along <paramref name="dimension"/> at a common scale.</summary>
    public static SecretTensor Concatenate(IReadOnlyList<SecretTensor> parts, long dimension)
    {
        int bits = parts.Max(p => p.FractionalBits);
        var aligned = parts.Select(p => p.At(bits)).ToArray();
        var joined = SharedTensor.Concatenate(aligned.Select(p => p.Shares).ToArray(), dimension);
        foreach (SecretTensor p in aligned)
        {
            p.Dispose();
        }
        return new SecretTensor(parts[0].Engine, joined, bits, parts.Select(p => p.Range).Aggregate((a, b) => a.Hull(b)));
    }

    /// <summary>Opens the value to every party (one round; a release) and decodes it.</summary>
    public Tensor OpenReal()
    {
        using Tensor ring = Engine.Open(Shares);
        return ring.to_type(ScalarType.Float64).DivideInPlace(Math.Pow(2, FractionalBits));
    }

    /// <summary>Releases the hosted shares.</summary>
    public void Dispose() => Shares.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"SecretTensor([{string.Join(", ", Shape)}], {FractionalBits} fractional bits, range {Range})";

    /// <summary>New shares derived from this tensor: its scale and range unless given.</summary>
    internal SecretTensor With(SharedTensor shares, int? bits = null, ValueRange? range = null) => new(Engine, shares, bits ?? FractionalBits, range ?? Range);

    private static Tensor? Checked(Tensor? values, ValueRange? range)
    {
        if (values is null || range is not { } r || !r.IsKnown)
        {
            return values;
        }
        using Tensor real = values.to_type(ScalarType.Float64);
        if (real.numel() > 0 && (real.min().item<double>() < r.Lo || real.max().item<double>() > r.Hi))
        {
            throw new ArgumentOutOfRangeException(nameof(range), $"A value lies outside the range {r} the sharing announces.");
        }
        return values;
    }

    private Tensor Encode(Tensor real, int bits) =>
        real.to_type(ScalarType.Float64).Times(Math.Pow(2, bits)).round_().to_type(ScalarType.Int64).to(Engine.Device);

    private static SecretTensor Align(SecretTensor x, SecretTensor y, Func<SharedTensor, SharedTensor, SharedTensor> op, ValueRange range)
    {
        int f = x.F;
        int bits = Math.Max(x.FractionalBits, y.FractionalBits) <= 2 * f ? Math.Max(x.FractionalBits, y.FractionalBits) : Math.Min(x.FractionalBits, y.FractionalBits);
        using SecretTensor a = x.At(bits);
        using SecretTensor b = y.At(bits);
        return new SecretTensor(x.Engine, op(a.Shares, b.Shares), bits, range);
    }

    private static SecretTensor Product(SecretTensor x, SecretTensor y, Func<SharedTensor, SharedTensor, SharedTensor> op, ValueRange range)
    {
        int f = x.F;
        int bits = x.FractionalBits + y.FractionalBits;
        if (bits <= 2 * f || (bits <= 3 * f && range.Fits(bits)))
        {
            return new SecretTensor(x.Engine, op(x.Shares, y.Shares), bits, range);
        }
        using SecretTensor a = x.FractionalBits > f ? x.At(f) : x.At(x.FractionalBits);
        using SecretTensor b = y.FractionalBits > f ? y.At(f) : y.At(y.FractionalBits);
        return new SecretTensor(x.Engine, op(a.Shares, b.Shares), a.FractionalBits + b.FractionalBits, range);
    }
}
