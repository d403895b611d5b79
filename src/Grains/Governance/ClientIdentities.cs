using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Placement;

namespace SecureCompute.Grains.Governance;

/// <summary>
/// Who a client request comes from, as this silo can tell: with TLS, the operator its signed credential proves (checked
/// against the consortium CA); without TLS (development only), whoever the client declares — nobody is authenticated.
/// </summary>
public sealed class ClientIdentities(IEnumerable<ISiloCredentials> credentials, TimeProvider clock)
{
    private readonly ISiloCredentials? tls = credentials.FirstOrDefault();

    /// <summary>Whether identities are authenticated (TLS on).</summary>
    public bool Authenticated => tls is not null;

    /// <summary>The operator <paramref name="credential"/> stands for, for this purpose and subject, or null (anonymous or not proven).</summary>
    public OperatorIdentity? Verify(ClientCredential credential, ClientPurpose purpose, string subject)
    {
        if (tls is not null)
        {
            return tls.VerifyClient(credential, purpose, subject, clock.GetUtcNow());
        }
        return credential.Purpose == purpose && credential.Subject == subject ? OperatorIdentity.TryParse(credential.Declared) : null;
    }
}
