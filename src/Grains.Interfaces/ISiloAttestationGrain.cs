namespace SecureCompute.Grains.Interfaces;

/// <summary>
/// One per silo (key: the silo's address, as <c>SiloAddress.ToParsableString()</c>; placed on exactly that silo): proves
/// which consortium member the silo is, by signing a caller's fresh nonce with the private key of its TLS certificate.
/// </summary>
[Alias("SecureCompute.ISiloAttestationGrain")]
public interface ISiloAttestationGrain : IGrainWithStringKey
{
    /// <summary>This silo's certificate and its signature over the nonce and this silo's address.</summary>
    [Alias("Prove")]
    Task<SiloAttestation> ProveAsync(byte[] nonce);
}

/// <summary>A silo's proof of identity: its certificate (DER) and a signature made with the certificate's key.</summary>
[GenerateSerializer, Immutable, Alias("SecureCompute.SiloAttestation")]
public sealed record SiloAttestation([property: Id(0)] byte[] Certificate, [property: Id(1)] byte[] Signature);
