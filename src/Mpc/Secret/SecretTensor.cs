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
///    value then stays below 2^(62 − 2f) in magnitude, the same assumption every fixed-point product makes.
/// 3. A sum of two scales lifts the narrower one (a public multiply, free) while the result stays within 2f;
///    otherwise the wider one is truncated.
/// 4. A function takes its input at any scale: a sign ignores the scale, and the Chebyshev map folds the extra bits
///    into its own truncation (<see cref="MpcEngine.Approximate"/>), so σ(x·w) costs the sigmoid's rounds only.
/// 5. <see cref="Scale"/> (a public real factor, 24 significant bits) works at f: a wider tensor is truncated first,
///    since its ring values times the encoded factor could pass 2^62.
/// </remarks>
public sealed class SecretTensor : IDisposable
{
    private SecretTensor(MpcEngine engine, SharedTensor shares, int fractionalBits)
    {
        if (fractionalBits < 0 || fractionalBits > 3 * engine.Format.FractionalBits)
        {
            throw new ArgumentOutOfRangeException(nameof(fractionalBits), fractionalBits, $"A secret tensor carries 0..{3 * engine.Format.FractionalBits} fractional bits.");
        }
        Engine = engine;
        Shares = shares;
        FractionalBits = fractionalBits;
    }

    /// <summary>The engine whose shares these are.</summary>
    public MpcEngine Engine { get; }

    /// <summary>The hosted parties' shares.</summary>
    public SharedTensor Shares { get; }

    /// <summary>Fractional bits of the ring values: 0 for integers, f for fixed point, up to 3f for an untruncated product.</summary>
    public int FractionalBits { get; }

    /// <summary>The tensor's shape.</summary>
    public long[] Shape => Shares.Shape;

    private int F => Engine.Format.FractionalBits;

    /// <summary>Wraps shares that carry <paramref name="fractionalBits"/> fractional bits (default: the engine's f).</summary>
    public static SecretTensor FromShares(MpcEngine engine, SharedTensor shares, int? fractionalBits = null) =>
        new(engine, shares, fractionalBits ?? engine.Format.FractionalBits);

    /// <summary>Party <paramref name="owner"/>'s real values, shared (zero sharing; <paramref name="real"/> is null where the owner is not hosted).</summary>
    public static SecretTensor Share(MpcEngine engine, long[] shape, Tensor? real, int owner) =>
        new(engine, engine.ShareReal(shape, real, owner), engine.Format.FractionalBits);

    /// <summary>Party <paramref name="owner"/>'s integers (e.g. one-hot labels), shared at scale 0.</summary>
    public static SecretTensor ShareIntegers(MpcEngine engine, long[] shape, Tensor? integers, int owner) =>
        new(engine, engine.Share(shape, integers?.to_type(ScalarType.Int64), owner), 0);

    /// <summary>
    /// A public real tensor as a trivial sharing — party 0 holds the encoded value, every other party 0 — for values
    /// every party knows (an initial weight drawn from a public seed); costs nothing and draws no randomness.
    /// </summary>
    public static SecretTensor Public(MpcEngine engine, Tensor real)
    {
        using Tensor ring = engine.Format.Encode(real, "public value");
        var shares = engine.HostedParties.Select(p => new ShareTensor(p, p == 0 ? ring.to(engine.Device).clone() : zeros(ring.shape, ScalarType.Int64, engine.Device))).ToArray();
        return new SecretTensor(engine, new SharedTensor(shares), engine.Format.FractionalBits);
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
    public static SecretTensor operator +(SecretTensor x, SecretTensor y) => Align(x, y, (a, b) => a.Add(b));

    /// <summary>x − y (scales aligned by rule 3).</summary>
    public static SecretTensor operator -(SecretTensor x, SecretTensor y) => Align(x, y, (a, b) => a.Subtract(b));

    /// <summary>−x.</summary>
    public static SecretTensor operator -(SecretTensor x) => x.With(x.Shares.Negate());

    /// <summary>x ⊙ y element-wise (broadcasting), one round; the scales add (rules 1–2).</summary>
    public static SecretTensor operator *(SecretTensor x, SecretTensor y) => Product(x, y, (a, b) => x.Engine.Multiply(a, b));

    /// <summary>x ⊙ x, one round (a square pair, cheaper than a triple); the scale doubles (rules 1–2).</summary>
    public SecretTensor Square()
    {
        if (2 * FractionalBits <= 2 * F)
        {
            return With(Engine.Square(Shares), 2 * FractionalBits);
        }
        using SecretTensor normal = Normalised();
        return normal.Square();
    }

    /// <summary>x · y, one round; the scales add (rules 1–2).</summary>
    public SecretTensor MatMul(SecretTensor y) => Product(this, y, (a, b) => Engine.MatMul(a, b));

    /// <summary>x + c for a public real c (broadcasting).</summary>
    public SecretTensor AddPublic(Tensor real)
    {
        using Tensor ring = Encode(real, FractionalBits);
        return With(Shares.AddPublic(ring));
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
            return With(Engine.Scale(Shares, factor));
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
    public SecretTensor Sum(long dimension, bool keepDimension = false) => With(Shares.Sum(dimension, keepDimension));

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
        return new SecretTensor(parts[0].Engine, joined, bits);
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
    public override string ToString() => $"SecretTensor([{string.Join(", ", Shape)}], {FractionalBits} fractional bits)";

    internal SecretTensor With(SharedTensor shares, int? bits = null) => new(Engine, shares, bits ?? FractionalBits);

    private Tensor Encode(Tensor real, int bits) =>
        real.to_type(ScalarType.Float64).Times(Math.Pow(2, bits)).round_().to_type(ScalarType.Int64).to(Engine.Device);

    private static SecretTensor Align(SecretTensor x, SecretTensor y, Func<SharedTensor, SharedTensor, SharedTensor> op)
    {
        int f = x.F;
        int bits = Math.Max(x.FractionalBits, y.FractionalBits) <= 2 * f ? Math.Max(x.FractionalBits, y.FractionalBits) : Math.Min(x.FractionalBits, y.FractionalBits);
        using SecretTensor a = x.At(bits);
        using SecretTensor b = y.At(bits);
        return new SecretTensor(x.Engine, op(a.Shares, b.Shares), bits);
    }

    private static SecretTensor Product(SecretTensor x, SecretTensor y, Func<SharedTensor, SharedTensor, SharedTensor> op)
    {
        int f = x.F;
        if (x.FractionalBits + y.FractionalBits <= 2 * f)
        {
            return new SecretTensor(x.Engine, op(x.Shares, y.Shares), x.FractionalBits + y.FractionalBits);
        }
        using SecretTensor a = x.FractionalBits > f ? x.At(f) : x.At(x.FractionalBits);
        using SecretTensor b = y.FractionalBits > f ? y.At(f) : y.At(y.FractionalBits);
        return new SecretTensor(x.Engine, op(a.Shares, b.Shares), a.FractionalBits + b.FractionalBits);
    }
}
