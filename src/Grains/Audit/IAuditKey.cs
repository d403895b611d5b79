using System.Security.Cryptography.X509Certificates;

namespace SecureCompute.Grains.Audit;

/// <summary>
/// The key a silo signs its party's audit trail with: its TLS certificate, with private key. Without this service the
/// audit grain signs with a local ECDSA P-256 key kept sealed in its state.
/// </summary>
public interface IAuditKey
{
    /// <summary>The silo's certificate, with its private key (ECDSA or RSA).</summary>
    X509Certificate2 Certificate { get; }
}
