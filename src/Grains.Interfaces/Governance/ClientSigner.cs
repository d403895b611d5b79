using System.Security.Cryptography.X509Certificates;

namespace SecureCompute.Grains.Interfaces.Governance;

/// <summary>A client's identity and how it proves it: a credential per request, signed with its certificate under TLS.</summary>
public sealed class ClientSigner
{
    private readonly X509Certificate2? certificate;

    private ClientSigner(OperatorIdentity? identity, X509Certificate2? certificate)
    {
        Identity = identity;
        this.certificate = certificate;
    }

    /// <summary>Who this client is (null: anonymous, or a certificate that names no member's operator).</summary>
    public OperatorIdentity? Identity { get; }

    /// <summary>A client that proves nothing (only a policy that admits anyone lets it start a session).</summary>
    public static ClientSigner Anonymous { get; } = new(null, null);

    /// <summary>A client that declares <paramref name="identity"/> — believed only by silos without TLS (development only).</summary>
    public static ClientSigner Declaring(OperatorIdentity identity) => new(identity, null);

    /// <summary>A client that signs with <paramref name="certificate"/> (with its private key), which names <paramref name="identity"/>.</summary>
    public static ClientSigner WithCertificate(X509Certificate2 certificate, OperatorIdentity? identity) => new(identity, certificate);

    /// <summary>A credential for one request.</summary>
    public ClientCredential For(ClientPurpose purpose, string subject) =>
        certificate is not null ? ClientCredential.Signed(purpose, subject, certificate) : ClientCredential.Declaring(purpose, subject, Identity);

    /// <inheritdoc />
    public override string ToString() => Identity?.ToString() ?? "anonymous";
}
