using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCompute.Grains.Interfaces.Governance;

/// <summary>Signatures with a consortium certificate's key — ECDSA, or RSA with PKCS#1 v1.5 — over SHA-256 of the data.</summary>
public static class CertificateSignature
{
    /// <summary>Signs <paramref name="data"/> with <paramref name="certificate"/>'s private key.</summary>
    public static byte[] Sign(X509Certificate2 certificate, byte[] data)
    {
        if (certificate.GetECDsaPrivateKey() is { } ecdsa)
        {
            using (ecdsa)
            {
                return ecdsa.SignData(data, HashAlgorithmName.SHA256);
            }
        }
        if (certificate.GetRSAPrivateKey() is { } rsa)
        {
            using (rsa)
            {
                return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
        }
        throw new InvalidOperationException("The certificate has no ECDSA or RSA private key.");
    }

    /// <summary>Whether <paramref name="signature"/> over <paramref name="data"/> was made with <paramref name="certificate"/>'s key.</summary>
    public static bool Verify(X509Certificate2 certificate, byte[] data, byte[] signature)
    {
        if (certificate.GetECDsaPublicKey() is { } ecdsa)
        {
            using (ecdsa)
            {
                return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256);
            }
        }
        if (certificate.GetRSAPublicKey() is { } rsa)
        {
            using (rsa)
            {
                return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
        }
        return false;
    }
}
