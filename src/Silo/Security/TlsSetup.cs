using System.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Connections.Security;

namespace SecureCompute.Silo.Security;

/// <summary>Orleans' TLS settings for a consortium member, the same for silos and clients.</summary>
public static class TlsSetup
{
    /// <summary>
    /// A silo: mutual TLS on its silo and gateway connections (a client may present a member's operator certificate or
    /// the bare client one), and its credentials for proving its identity to peers and checking theirs and clients'
    /// request credentials (<see cref="TlsCredentials"/>; placement then trusts a peer's announced party only once proven).
    /// </summary>
    public static void Apply(ISiloBuilder silo, ConsortiumTls tls)
    {
        silo.Services.AddSingleton<Grains.Placement.ISiloCredentials>(new TlsCredentials(tls));
        // The party's audit trail is signed with the silo's own certificate key, so an auditor checks it against the CA.
        silo.Services.AddSingleton<Grains.Audit.IAuditKey>(new TlsAuditKey(tls.Certificate));
        silo.UseTls(tls.Certificate, o => Configure(o, tls));
    }

    /// <summary>
    /// Mutual TLS 1.2/1.3 both ways; a peer without a certificate is refused, and one with a certificate is accepted
    /// only if it chains to the consortium's CA and names a consortium identity (the system's trust store plays no part;
    /// host-name checks are replaced by the identity check, since silos are reached by address).
    /// </summary>
    public static void Configure(TlsOptions options, ConsortiumTls tls, Func<ConsortiumIdentity, bool>? acceptPeer = null)
    {
        options.LocalCertificate = tls.Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        options.CheckCertificateRevocation = false;
        options.RemoteCertificateValidation = (certificate, _, _) =>
            tls.Accepts(certificate) && (acceptPeer is null || acceptPeer(ConsortiumIdentity.Of(certificate)!));
        options.OnAuthenticateAsClient = (_, client) => client.TargetHost = "securecompute";
    }
}
