using System.Security.Cryptography;

namespace SecureCompute.Grains.Storage;

/// <summary>
/// Encrypts grain state at rest with AES-256-GCM under the silo's key: the storage (Redis) holds only nonce, tag and
/// ciphertext, bound to the grain's identity as associated data so that one grain's state cannot be swapped for another's.
/// </summary>
public sealed class StateSealer
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] key;

    /// <summary>Uses a 32-byte key.</summary>
    public StateSealer(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException($"A state key is 32 bytes, not {key.Length}.", nameof(key));
        }
        this.key = key.ToArray();
    }

    /// <summary>A sealer with a fresh random key: state sealed with it is readable only by this process (in-memory storage).</summary>
    public static StateSealer Ephemeral() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Reads a key file: 32 raw bytes, or 64 hexadecimal digits, or base64 of 32 bytes (surrounding whitespace ignored).
    /// The error names the file, never its content.
    /// </summary>
    public static StateSealer FromKeyFile(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length == 32)
        {
            return new StateSealer(raw);
        }
        string text = System.Text.Encoding.ASCII.GetString(raw).Trim();
        try
        {
            byte[] key = text.Length == 64 ? Convert.FromHexString(text) : Convert.FromBase64String(text);
            if (key.Length == 32)
            {
                return new StateSealer(key);
            }
        }
        catch (FormatException)
        {
        }
        throw new InvalidOperationException($"The key file {path} holds no 32-byte key (raw, 64 hex digits, or base64).");
    }

    /// <summary>Nonce ‖ tag ‖ ciphertext of <paramref name="plaintext"/>, bound to <paramref name="context"/>.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext, string context)
    {
        byte[] sealedBytes = new byte[NonceBytes + TagBytes + plaintext.Length];
        Span<byte> nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), System.Text.Encoding.UTF8.GetBytes(context));
        return sealedBytes;
    }

    /// <summary>The plaintext of <paramref name="sealedBytes"/>; fails if it was altered, sealed under another key or for another context.</summary>
    public byte[] Unseal(ReadOnlySpan<byte> sealedBytes, string context)
    {
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException($"Sealed state for {context} is truncated.");
        }
        byte[] plaintext = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes[..NonceBytes], sealedBytes[(NonceBytes + TagBytes)..], sealedBytes.Slice(NonceBytes, TagBytes), plaintext,
            System.Text.Encoding.UTF8.GetBytes(context));
        return plaintext;
    }
}
