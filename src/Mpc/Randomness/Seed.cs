using System.Security.Cryptography;

namespace SecureCompute.Mpc.Randomness;

/// <summary>A 128-bit secret seed for <see cref="PrgStream"/>, drawn from the platform's cryptographic generator.</summary>
/// <remarks>The bytes are secret: <see cref="ToString"/> never shows them.</remarks>
public sealed class Seed
{
    /// <summary>Seed length in bytes (an AES-128 key).</summary>
    public const int Length = 16;

    private readonly byte[] bytes;

    /// <summary>Wraps existing seed bytes (e.g. received from the dealer).</summary>
    public Seed(ReadOnlySpan<byte> value)
    {
        if (value.Length != Length)
        {
            throw new ArgumentException($"A seed is {Length} bytes, not {value.Length}.", nameof(value));
        }
        bytes = value.ToArray();
    }

    /// <summary>The seed's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => bytes;

    /// <summary>Draws a fresh seed from <see cref="RandomNumberGenerator"/>.</summary>
    public static Seed Random()
    {
        Span<byte> value = stackalloc byte[Length];
        RandomNumberGenerator.Fill(value);
        return new Seed(value);
    }

    /// <summary>Describes the seed without its bytes.</summary>
    public override string ToString() => "Seed(128 bits)";
}
