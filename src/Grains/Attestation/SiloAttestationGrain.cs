using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Placement;

namespace SecureCompute.Grains.Attestation;

/// <summary>Answers a peer's challenge with this silo's certificate and signature (see <see cref="ISiloCredentials"/>).</summary>
[SiloPinnedPlacement]
public sealed class SiloAttestationGrain(IEnumerable<ISiloCredentials> credentials, ILocalSiloDetails local) : Grain, ISiloAttestationGrain
{
    /// <inheritdoc />
    public Task<SiloAttestation> ProveAsync(byte[] nonce)
    {
        ISiloCredentials mine = credentials.FirstOrDefault()
            ?? throw new InvalidOperationException("This silo runs without TLS and has no certificate to prove its identity with.");
        if (nonce.Length is < 16 or > 64)
        {
            throw new ArgumentException("A challenge is 16 to 64 bytes.", nameof(nonce));
        }
        return Task.FromResult(mine.Prove(nonce, local.SiloAddress));
    }
}
