using SecureCompute.Mpc.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Sharing;

/// <summary>
/// One party's boolean (XOR) share of a tensor of 64-bit words: the secret is the XOR of all parties' shares.
/// </summary>
/// <remarks>
/// Bit-wise operations on all 64 bits of a word at once; XOR with a public word is done by party 0 only, AND with a
/// public word by everyone. Shifts are logical. <see cref="ToString"/> never shows the elements.
/// </remarks>
public sealed class BitShareTensor : IDisposable
{
    /// <summary>Wraps <paramref name="value"/> (int64 words) as party <paramref name="party"/>'s XOR share.</summary>
    public BitShareTensor(int party, Tensor value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(party);
        if (value.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"A boolean share must be an int64 tensor of words, not {value.dtype}.", nameof(value));
        }
        Party = party;
        Value = value;
    }

    /// <summary>The index of the party holding this share.</summary>
    public int Party { get; }

    /// <summary>The share's words.</summary>
    public Tensor Value { get; }

    /// <summary>The tensor's shape.</summary>
    public long[] Shape => Value.shape;

    /// <summary>Share of x XOR y.</summary>
    public BitShareTensor Xor(BitShareTensor other) => With(Value.bitwise_xor(Same(other).Value));

    /// <summary>Share of x XOR p for public words p; only party 0 applies it.</summary>
    public BitShareTensor XorPublic(Tensor publicWords) =>
        With(Party == 0 ? Value.bitwise_xor(publicWords) : Value.bitwise_xor(zeros_like(publicWords)));

    /// <summary>Share of x AND p for public words p (every party applies it).</summary>
    public BitShareTensor AndPublic(Tensor publicWords) => With(Value.bitwise_and(publicWords));

    /// <summary>Share of x AND a public mask.</summary>
    public BitShareTensor AndPublic(long mask) => With(Value.BitAnd(mask));

    /// <summary>Share of NOT x (party 0 flips every bit).</summary>
    public BitShareTensor Not() => With(Party == 0 ? Value.bitwise_not() : Value.alias());

    /// <summary>Share of x shifted left by <paramref name="bits"/> (zeros enter at the bottom).</summary>
    public BitShareTensor ShiftLeft(int bits) => With(Value.ShiftLeft(bits));

    /// <summary>Share of x shifted right by <paramref name="bits"/>, logically (zeros enter at the top).</summary>
    public BitShareTensor ShiftRight(int bits) =>
        With(bits == 0 ? Value.alias() : Value.ShiftRight(bits).BitAndInPlace(long.MaxValue >> (bits - 1)));

    /// <summary>Releases the native tensor.</summary>
    public void Dispose() => Value.Dispose();

    /// <summary>Describes the share without its elements.</summary>
    public override string ToString() => $"BitShareTensor(party {Party}, shape [{string.Join(", ", Shape)}])";

    private BitShareTensor With(Tensor value) => new(Party, value);

    private BitShareTensor Same(BitShareTensor other)
    {
        if (other.Party != Party)
        {
            throw new ArgumentException($"Share of party {other.Party} combined with a share of party {Party}.", nameof(other));
        }
        return other;
    }
}
