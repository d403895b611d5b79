namespace SecureCompute.Grains.Placement;

/// <summary>The silo metadata keys a SecureCompute silo announces to the cluster.</summary>
public static class SiloMetadataKeys
{
    /// <summary>The silo's role: "Party" or "Dealer".</summary>
    public const string Role = "SecureCompute.Role";

    /// <summary>The party id of a party silo.</summary>
    public const string Party = "SecureCompute.Party";
}
