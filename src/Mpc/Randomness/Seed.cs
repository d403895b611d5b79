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

    /// <summary>
    /// A reproducible source of seeds for simulations and demos only: every seed is drawn from an AES-CTR stream keyed by
    /// SHA-256 of <paramref name="value"/>. Anyone who knows the value knows every seed, so a deployment never uses it.
    /// </summary>
    public static Func<Seed> Reproducible(long value)
    {
        byte[] key = SHA256.HashData(BitConverter.GetBytes(value))[..Length];
        var stream = new PrgStream(new Seed(key));
        return () =>
        {
            Span<byte> bytes = stackalloc byte[Length];
            stream.Fill(bytes);
            return new Seed(bytes);
        };
    }

    /// <summary>Describes the seed without its bytes.</summary>
    public override string ToString() => "Seed(128 bits)";
}
