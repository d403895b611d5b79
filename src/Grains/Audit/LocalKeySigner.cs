using System.Security.Cryptography;

namespace SecureCompute.Grains.Audit;

/// <summary>Signs with a local ECDSA P-256 key (IEEE P1363 signatures: r ‖ s, 64 bytes).</summary>
internal sealed class LocalKeySigner : AuditSigner
{
    private readonly ECDsa key;

    /// <summary>Takes ownership of <paramref name="key"/>, which must be a P-256 key.</summary>
    public LocalKeySigner(ECDsa key)
    {
        if (key.KeySize != 256)
        {
            throw new ArgumentException("An audit key is an ECDSA P-256 key.", nameof(key));
        }
        this.key = key;
        PublicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    }

    /// <inheritdoc />
    public override string? Certificate => null;

    /// <inheritdoc />
    public override string? PublicKey { get; }

    /// <inheritdoc />
    public override string SignHash(byte[] sha256) => Convert.ToBase64String(key.SignHash(sha256));

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            key.Dispose();
        }
    }
}
