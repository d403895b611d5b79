using StackExchange.Redis;

namespace SecureCompute.Silo.Security;

/// <summary>
/// Redis connections of a consortium member. A connection string with <c>ssl=true</c> is TLS; with the member's TLS
/// material it is mutual TLS inside the consortium: the Redis server's certificate must chain to the consortium's CA
/// (not the system's trust store), and the member presents its own certificate (for <c>tls-auth-clients yes</c>).
/// </summary>
public static class RedisTls
{
    /// <summary>The options for <paramref name="connection"/> (StackExchange.Redis format), with the consortium's TLS when both apply.</summary>
    public static ConfigurationOptions Options(string connection, ConsortiumTls? tls)
    {
        ConfigurationOptions options = ConfigurationOptions.Parse(connection);
        if (options.Ssl && tls is not null)
        {
            options.CertificateValidation += (_, certificate, _, _) =>
                certificate is not null && ConsortiumTls.ChainsTo(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()),
                    tls.Authority, out _);
            options.CertificateSelection += (_, _, _, _, _) => tls.Certificate;
        }
        return options;
    }
}
