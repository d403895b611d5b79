namespace SecureCompute.Grains.Audit;

/// <summary>
/// What the audit grain keeps in its party's storage: the entries' lines in the clear (they are public metadata and
/// verifiable), the local key's PKCS#8 sealed, and the sealed name of the key that signed the lines.
/// </summary>
[GenerateSerializer, Alias("SecureCompute.AuditLogState")]
public sealed class AuditLogState
{
    /// <summary>The entries' canonical lines, in order.</summary>
    [Id(0)]
    public List<string> Lines { get; set; } = new();

    /// <summary>The local ECDSA P-256 key's PKCS#8, sealed; null until a local key was first needed.</summary>
    [Id(1)]
    public byte[]? SealedKey { get; set; }

    /// <summary>The signer's material (<see cref="AuditSigner.Material"/>) that signed <see cref="Lines"/>, sealed; null before the first entry.</summary>
    /// <remarks>Sealed so that whoever can write to storage cannot name a key of theirs and have the grain accept lines they signed.</remarks>
    [Id(2)]
    public byte[]? SealedSigner { get; set; }
}
