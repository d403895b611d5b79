using System.Security.Cryptography.X509Certificates;
using SecureCompute.Grains.Audit;

namespace SecureCompute.Silo.Security;

/// <summary>The audit trail's signing key with TLS on: the silo's own certificate (which names its party).</summary>
internal sealed class TlsAuditKey(X509Certificate2 certificate) : IAuditKey
{
    /// <inheritdoc />
    public X509Certificate2 Certificate => certificate;
}
