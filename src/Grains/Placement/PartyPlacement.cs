using Orleans.Placement;

namespace SecureCompute.Grains.Placement;

/// <summary>Places a grain on a silo of the party named by its key (the key, or the part after its last '/').</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("SecureCompute.PartyPlacement")]
public sealed class PartyPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static readonly PartyPlacement Instance = new();
}

/// <summary>Places a grain on a silo with the dealer role.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("SecureCompute.DealerPlacement")]
public sealed class DealerPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static readonly DealerPlacement Instance = new();
}

/// <summary>
/// Places a coordinator on a party silo — never on the dealer's: the dealer knows every mask, so a dealer that also saw
/// the opened (masked) values could unmask them. Parties receive every opened value anyway.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("SecureCompute.CoordinatorPlacement")]
public sealed class CoordinatorPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static readonly CoordinatorPlacement Instance = new();
}

/// <summary>Marks a grain class as placed by <see cref="CoordinatorPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CoordinatorPlacementAttribute : PlacementAttribute
{
    /// <summary>Uses <see cref="CoordinatorPlacement.Instance"/>.</summary>
    public CoordinatorPlacementAttribute() : base(CoordinatorPlacement.Instance)
    {
    }
}

/// <summary>Marks a grain class as placed by <see cref="PartyPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PartyPlacementAttribute : PlacementAttribute
{
    /// <summary>Uses <see cref="PartyPlacement.Instance"/>.</summary>
    public PartyPlacementAttribute() : base(PartyPlacement.Instance)
    {
    }
}

/// <summary>Marks a grain class as placed by <see cref="DealerPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class DealerPlacementAttribute : PlacementAttribute
{
    /// <summary>Uses <see cref="DealerPlacement.Instance"/>.</summary>
    public DealerPlacementAttribute() : base(DealerPlacement.Instance)
    {
    }
}
