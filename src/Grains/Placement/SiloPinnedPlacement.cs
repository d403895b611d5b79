using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace SecureCompute.Grains.Placement;

/// <summary>Places a grain on the silo its key names (<c>SiloAddress.ToParsableString()</c>), and nowhere else.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("SecureCompute.SiloPinnedPlacement")]
public sealed class SiloPinnedPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static readonly SiloPinnedPlacement Instance = new();
}

/// <summary>Marks a grain class for <see cref="SiloPinnedPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPinnedPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public SiloPinnedPlacementAttribute() : base(SiloPinnedPlacement.Instance)
    {
    }
}

/// <summary>The director of <see cref="SiloPinnedPlacement"/>: the silo in the key if it is in the cluster, else an error.</summary>
public sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string key = target.GrainIdentity.Key.ToString()!;
        SiloAddress silo = SiloAddress.FromParsableString(key);
        return context.GetCompatibleSilos(target).Contains(silo)
            ? Task.FromResult(silo)
            : throw new OrleansException($"Silo {key} is not in the cluster, so {target.GrainIdentity.Type} cannot be placed on it.");
    }
}
