using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCompute.Grains.Audit;

/// <summary>
/// Signs a party's audit entries and heads: with a local ECDSA P-256 key, or with a certificate's private key (ECDSA, or
/// RSA with PKCS#1 v1.5), always over a SHA-256 digest. Knows the public material an export's header carries.
/// </summary>
public abstract class AuditSigner : IDisposable
{
    /// <summary>The signing certificate (base64 DER) for the header, or null for a local key.</summary>
    public abstract string? Certificate { get; }

    /// <summary>The local key's SubjectPublicKeyInfo (base64) for the header, or null for a certificate.</summary>
    public abstract string? PublicKey { get; }

    /// <summary>What the header names: <c>certificate:</c> or <c>publicKey:</c> and the base64 material (tells one signer from another).</summary>
    public string Material => Certificate is { } c ? $"certificate:{c}" : $"publicKey:{PublicKey}";

    /// <summary>A signer with a local ECDSA P-256 key (the signer owns and disposes it).</summary>
    public static AuditSigner ForKey(ECDsa key) => new LocalKeySigner(key);

    /// <summary>A signer with <paramref name="certificate"/>'s private key (ECDSA or RSA; not disposed by the signer).</summary>
    public static AuditSigner ForCertificate(X509Certificate2 certificate) => new CertificateSigner(certificate);

    /// <summary>The signature of a SHA-256 digest (base64).</summary>
    public abstract string SignHash(byte[] sha256);

    /// <summary>The signature of <paramref name="data"/>'s SHA-256 digest (base64).</summary>
    public string SignData(byte[] data) => SignHash(SHA256.HashData(data));

    /// <summary>The key that checks this signer's signatures.</summary>
    public AuditPublicKey Verifier() => AuditPublicKey.From(Certificate, PublicKey);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the key this signer owns.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
