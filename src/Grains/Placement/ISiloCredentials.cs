using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Placement;

/// <summary>
/// A silo's consortium credentials (registered only with TLS on): proves this silo's identity, and checks another's.
/// </summary>
public interface ISiloCredentials
{
    /// <summary>This silo's certificate and its signature over <paramref name="nonce"/> and <paramref name="silo"/> (this silo's address).</summary>
    SiloAttestation Prove(byte[] nonce, SiloAddress silo);

    /// <summary>
    /// The identity <paramref name="attestation"/> proves for <paramref name="silo"/> — its certificate chains to the
    /// consortium's CA, names a party or the dealer, and signed this nonce and this address — or null if it proves none.
    /// </summary>
    PeerIdentity? Verify(SiloAttestation attestation, byte[] nonce, SiloAddress silo);

    /// <summary>
    /// The operator <paramref name="credential"/> proves — made for this purpose and subject within
    /// <see cref="ClientCredential.MaxAge"/> of <paramref name="now"/>, its certificate from the consortium's CA naming
    /// a member's client operator, its signature over <see cref="ClientCredential.Statement"/> valid — or null.
    /// </summary>
    OperatorIdentity? VerifyClient(ClientCredential credential, ClientPurpose purpose, string subject, DateTimeOffset now);
}

/// <summary>A silo's proven identity: a party (with its id), or the dealer.</summary>
public sealed record PeerIdentity(bool Dealer, string? Party);
