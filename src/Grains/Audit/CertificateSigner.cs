using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCompute.Grains.Audit;

/// <summary>Signs with a certificate's private key: ECDSA (IEEE P1363) or RSA (PKCS#1 v1.5), SHA-256.</summary>
internal sealed class CertificateSigner : AuditSigner
{
    private readonly ECDsa? ecdsa;
    private readonly RSA? rsa;

    /// <summary>Uses <paramref name="certificate"/>'s private key; fails if it has none of the two kinds.</summary>
    public CertificateSigner(X509Certificate2 certificate)
    {
        ecdsa = certificate.GetECDsaPrivateKey();
        rsa = ecdsa is null ? certificate.GetRSAPrivateKey() : null;
        if (ecdsa is null && rsa is null)
        {
            throw new ArgumentException("The audit certificate has no ECDSA or RSA private key.", nameof(certificate));
        }
        Certificate = Convert.ToBase64String(certificate.RawData);
    }

    /// <inheritdoc />
    public override string? Certificate { get; }

    /// <inheritdoc />
    public override string? PublicKey => null;

    /// <inheritdoc />
    public override string SignHash(byte[] sha256) => Convert.ToBase64String(ecdsa is not null
        ? ecdsa.SignHash(sha256)
        : rsa!.SignHash(sha256, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ecdsa?.Dispose();
            rsa?.Dispose();
        }
    }
}
