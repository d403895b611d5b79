using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Placement;

namespace SecureCompute.Silo.Security;

/// <summary>
/// A silo's proof of identity with its TLS certificate's key (ECDSA or RSA, SHA-256), and the check of another's: the
/// signed text binds the challenger's nonce to the prover's silo address, so a proof can be neither replayed nor
/// relayed for another silo.
/// </summary>
public sealed class TlsCredentials(ConsortiumTls tls) : ISiloCredentials
{
    /// <inheritdoc />
    public SiloAttestation Prove(byte[] nonce, SiloAddress silo)
    {
        byte[] text = Signed(nonce, silo);
        byte[] signature = tls.Certificate.GetECDsaPrivateKey() is { } ecdsa
            ? Using(ecdsa, k => k.SignData(text, HashAlgorithmName.SHA256))
            : tls.Certificate.GetRSAPrivateKey() is { } rsa
                ? Using(rsa, k => k.SignData(text, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                : throw new InvalidOperationException("The TLS certificate's key is neither ECDSA nor RSA.");
        return new SiloAttestation(tls.Certificate.RawData, signature);
    }

    /// <inheritdoc />
    public PeerIdentity? Verify(SiloAttestation attestation, byte[] nonce, SiloAddress silo)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(attestation.Certificate);
        }
        catch (CryptographicException)
        {
            return null;
        }
        using (certificate)
        {
            if (!tls.Accepts(certificate) || ConsortiumIdentity.Of(certificate) is not { Role: ConsortiumRole.Party or ConsortiumRole.Dealer } identity)
            {
                return null;
            }
            byte[] text = Signed(nonce, silo);
            bool valid = certificate.GetECDsaPublicKey() is { } ecdsa
                ? Using(ecdsa, k => k.VerifyData(text, attestation.Signature, HashAlgorithmName.SHA256))
                : certificate.GetRSAPublicKey() is { } rsa && Using(rsa, k => k.VerifyData(text, attestation.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            return valid ? new PeerIdentity(identity.Role == ConsortiumRole.Dealer, identity.Party) : null;
        }
    }

    /// <inheritdoc />
    public OperatorIdentity? VerifyClient(ClientCredential credential, ClientPurpose purpose, string subject, DateTimeOffset now) => null;

    private static byte[] Signed(byte[] nonce, SiloAddress silo) =>
        Encoding.UTF8.GetBytes($"securecompute silo attestation\n{Convert.ToHexString(nonce)}\n{silo.ToParsableString()}");

    private static T Using<TKey, T>(TKey key, Func<TKey, T> use) where TKey : IDisposable
    {
        using (key)
        {
            return use(key);
        }
    }
}
