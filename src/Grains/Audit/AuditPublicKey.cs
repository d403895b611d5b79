using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCompute.Grains.Audit;

/// <summary>The key an export's header names, for checking signatures: a certificate's (ECDSA or RSA) or a bare ECDSA P-256 key.</summary>
public sealed class AuditPublicKey : IDisposable
{
    private readonly ECDsa? ecdsa;
    private readonly RSA? rsa;

    private AuditPublicKey(ECDsa? ecdsa, RSA? rsa, X509Certificate2? certificate)
    {
        this.ecdsa = ecdsa;
        this.rsa = rsa;
        Certificate = certificate;
    }

    /// <summary>The header's certificate, or null when it names a bare key.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The key of a header's <c>certificate</c> (base64 DER) or <c>publicKey</c> (base64 SubjectPublicKeyInfo); throws <see cref="FormatException"/> if neither gives one.</summary>
    public static AuditPublicKey From(string? certificate, string? publicKey)
    {
        try
        {
            if (certificate is not null)
            {
                X509Certificate2 parsed = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificate));
                ECDsa? e = parsed.GetECDsaPublicKey();
                RSA? r = e is null ? parsed.GetRSAPublicKey() : null;
                return e is null && r is null
                    ? throw new FormatException("the header's certificate has no ECDSA or RSA key.")
                    : new AuditPublicKey(e, r, parsed);
            }
            var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey ?? ""), out _);
            if (key.KeySize != 256)
            {
                key.Dispose();
                throw new FormatException("the header's public key is not an ECDSA P-256 key.");
            }
            return new AuditPublicKey(key, null, null);
        }
        catch (CryptographicException)
        {
            throw new FormatException(certificate is not null ? "the header's certificate cannot be read." : "the header's public key cannot be read.");
        }
    }

    /// <summary>The key <see cref="AuditSigner.Material"/> names (<c>certificate:</c> or <c>publicKey:</c> and base64).</summary>
    public static AuditPublicKey FromMaterial(string material) =>
        material.StartsWith("certificate:", StringComparison.Ordinal) ? From(material["certificate:".Length..], null)
        : material.StartsWith("publicKey:", StringComparison.Ordinal) ? From(null, material["publicKey:".Length..])
        : throw new FormatException("the signer's material names neither a certificate nor a public key.");

    /// <summary>Whether <paramref name="signature"/> (base64) signs the SHA-256 digest <paramref name="sha256"/>; false for malformed base64.</summary>
    public bool VerifyHash(byte[] sha256, string signature)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }
        return ecdsa is not null ? ecdsa.VerifyHash(sha256, bytes) : rsa!.VerifyHash(sha256, bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>Whether <paramref name="signature"/> (base64) signs <paramref name="data"/>'s SHA-256 digest.</summary>
    public bool VerifyData(byte[] data, string signature) => VerifyHash(SHA256.HashData(data), signature);

    /// <inheritdoc />
    public void Dispose()
    {
        ecdsa?.Dispose();
        rsa?.Dispose();
        Certificate?.Dispose();
    }
}
