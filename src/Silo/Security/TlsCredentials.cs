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
/// relayed for another silo. Clients' request credentials are checked the same way, against the same CA.
/// </summary>
public sealed class TlsCredentials(ConsortiumTls tls) : ISiloCredentials
{
    /// <inheritdoc />
    public SiloAttestation Prove(byte[] nonce, SiloAddress silo)
    {
        byte[] text = Signed(nonce, silo);
        byte[] signature = CertificateSignature.Sign(tls.Certificate, text);
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
            return SignatureValid(certificate, Signed(nonce, silo), attestation.Signature) ? new PeerIdentity(identity.Role == ConsortiumRole.Dealer, identity.Party) : null;
        }
    }

    /// <inheritdoc />
    public OperatorIdentity? VerifyClient(ClientCredential credential, ClientPurpose purpose, string subject, DateTimeOffset now)
    {
        // The cheap checks first: a credential for another request, or an old one, is refused before any cryptography.
        if (credential.Purpose != purpose || !string.Equals(credential.Subject, subject, StringComparison.Ordinal)
            || (now - credential.IssuedAt).Duration() > ClientCredential.MaxAge
            || credential.Certificate is not { Length: > 0 } || credential.Signature is not { Length: > 0 })
        {
            return null;
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(credential.Certificate);
        }
        catch (CryptographicException)
        {
            return null;
        }
        using (certificate)
        {
            // A bare client (of no member), a party's or the dealer's certificate speaks for no operator.
            if (!tls.Accepts(certificate) || ConsortiumIdentity.Of(certificate) is not { Role: ConsortiumRole.Client, Operator: { } @operator })
            {
                return null;
            }
            byte[] text = ClientCredential.Statement(purpose, subject, credential.IssuedAt);
            return SignatureValid(certificate, text, credential.Signature) ? @operator : null;
        }
    }

    /// <summary>Whether <paramref name="signature"/> is the certificate's key's over <paramref name="text"/> (ECDSA or RSA-PKCS1, SHA-256).</summary>
    private static bool SignatureValid(X509Certificate2 certificate, byte[] text, byte[] signature) => CertificateSignature.Verify(certificate, text, signature);

    private static byte[] Signed(byte[] nonce, SiloAddress silo) =>
        Encoding.UTF8.GetBytes($"securecompute silo attestation\n{Convert.ToHexString(nonce)}\n{silo.ToParsableString()}");
}
