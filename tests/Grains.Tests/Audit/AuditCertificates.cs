using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCompute.Grains.Tests.Audit;

/// <summary>Throwaway CAs and party certificates (with private keys) for the audit tests, made in memory.</summary>
internal static class AuditCertificates
{
    /// <summary>A self-signed CA certificate with its ECDSA key.</summary>
    public static X509Certificate2 Authority(string name)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>A certificate issued by <paramref name="ca"/> naming <paramref name="party"/> as SAN URI, with its key (ECDSA P-256, or RSA 2048).</summary>
    public static X509Certificate2 Party(X509Certificate2 ca, string party, bool rsa = false)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = key is RSA r
            ? new CertificateRequest($"CN={party}", r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={party}", (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri($"urn:securecompute:party:{party}"));
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using ECDsa caKey = ca.GetECDsaPrivateKey()!;
        using X509Certificate2 issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        return key is RSA rsaKey ? issued.CopyWithPrivateKey(rsaKey) : issued.CopyWithPrivateKey((ECDsa)key);
    }
}
