namespace SecureCompute.Grains.Hosting;

/// <summary>What a silo is for: it decides which grains may activate on it.</summary>
public enum SiloRole
{
    /// <summary>A data owner's silo: its party grain and party session grains, and coordinators.</summary>
    Party,

    /// <summary>The crypto provider's silo: dealer grains, and coordinators.</summary>
    Dealer,
}
