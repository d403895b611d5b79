using SecureCompute.Mpc.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Sharing;

/// <summary>
/// One party's additive share of a tensor over Z_2^64: the secret is the sum of all parties' shares, mod 2^64.
/// </summary>
/// <remarks>
/// Local operations never communicate. Public constants are added by party 0 only, so that they are added once.
/// Arithmetic is int64 with wraparound, which is exactly arithmetic mod 2^64. <see cref="ToString"/> never shows
/// the elements: a share must not reach a log.
/// </remarks>
public sealed class ShareTensor : IDisposable
{
    /// <summary>Wraps <paramref name="value"/> (int64) as party <paramref name="party"/>'s share.</summary>
    public ShareTensor(int party, Tensor value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(party);
        if (value.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"A share must be an int64 tensor, not {value.dtype}.", nameof(value));
        }
        Party = party;
        Value = value;
    }

    /// <summary>The index of the party holding this share.</summary>
    public int Party { get; }

    /// <summary>The share's ring elements.</summary>
    public Tensor Value { get; }

    /// <summary>The tensor's shape.</summary>
    public long[] Shape => Value.shape;

    /// <summary>The number of elements.</summary>
    public long ElementCount => Value.numel();

    /// <summary>Share of x + y.</summary>
    public ShareTensor Add(ShareTensor other) => With(Value.Plus(Same(other).Value));

    /// <summary>Share of x − y.</summary>
    public ShareTensor Subtract(ShareTensor other) => With(Value.Minus(Same(other).Value));

    /// <summary>Share of −x.</summary>
    public ShareTensor Negate() => With(Value.neg());

    /// <summary>Share of x + p for a public ring tensor p (broadcasting); only party 0 adds it.</summary>
    public ShareTensor AddPublic(Tensor publicRing) =>
        Party == 0 ? With(Value.Plus(Ring(publicRing))) : With(Value.Plus(zeros_like(Ring(publicRing))));

    /// <summary>Share of x − p for a public ring tensor p; only party 0 subtracts it.</summary>
    public ShareTensor SubtractPublic(Tensor publicRing) =>
        Party == 0 ? With(Value.Minus(Ring(publicRing))) : With(Value.Plus(zeros_like(Ring(publicRing))));

    /// <summary>Share of x · k for a public integer k (mod 2^64).</summary>
    public ShareTensor MultiplyPublic(long k) => With(Value.Times(k));

    /// <summary>Share of x ⊙ p for a public ring tensor p (element-wise, broadcasting), mod 2^64.</summary>
    /// <remarks>For a fixed-point p the product carries twice the fractional bits; truncate it afterwards.</remarks>
    public ShareTensor MultiplyPublic(Tensor publicRing) => With(Value.mul(Ring(publicRing)));

    /// <summary>Share of the transpose of the last two dimensions (or of a vector, itself).</summary>
    public ShareTensor Transpose() => With(Value.dim() < 2 ? Value.alias() : Value.transpose(-2, -1).contiguous());

    /// <summary>Share of x reshaped.</summary>
    public ShareTensor Reshape(params long[] shape) => With(Value.reshape(shape));

    /// <summary>Share of x[start : start + length] along <paramref name="dimension"/>.</summary>
    public ShareTensor Slice(long dimension, long start, long length) => With(Value.narrow(dimension, start, length).contiguous());

    /// <summary>Share of the entries of x at public <paramref name="indices"/> along <paramref name="dimension"/> (a public gather).</summary>
    public ShareTensor Gather(long dimension, Tensor indices) => With(Value.index_select(dimension, indices.to(Value.device)));

    /// <summary>Share of x summed along <paramref name="dimension"/>, mod 2^64.</summary>
    public ShareTensor Sum(long dimension, bool keepDimension = false) =>
        With(Value.sum(new[] { dimension }, keepDimension, ScalarType.Int64));

    /// <summary>Concatenates shares held by the same party along <paramref name="dimension"/>.</summary>
    public static ShareTensor Concatenate(IReadOnlyList<ShareTensor> parts, long dimension)
    {
        if (parts.Count == 0)
        {
            throw new ArgumentException("Nothing to concatenate.", nameof(parts));
        }
        int party = parts[0].Party;
        if (parts.Any(p => p.Party != party))
        {
            throw new ArgumentException("Shares of different parties cannot be concatenated.", nameof(parts));
        }
        return new ShareTensor(party, cat(parts.Select(p => p.Value).ToArray(), dimension));
    }

    /// <summary>Releases the native tensor.</summary>
    public void Dispose() => Value.Dispose();

    /// <summary>Describes the share without its elements.</summary>
    public override string ToString() => $"ShareTensor(party {Party}, shape [{string.Join(", ", Shape)}])";

    private ShareTensor With(Tensor value) => new(Party, value);

    private ShareTensor Same(ShareTensor other)
    {
        if (other.Party != Party)
        {
            throw new ArgumentException($"Share of party {other.Party} combined with a share of party {Party}.", nameof(other));
        }
        return other;
    }

    private static Tensor Ring(Tensor publicRing)
    {
        if (publicRing.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"A public ring operand must be int64 (encode reals first), not {publicRing.dtype}.", nameof(publicRing));
        }
        return publicRing;
    }
}
