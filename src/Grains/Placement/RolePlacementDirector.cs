using Orleans.Runtime.Placement;
using SecureCompute.Grains.Interfaces;

namespace SecureCompute.Grains.Placement;

/// <summary>
/// Places party grains on their party's silos, dealer grains on dealer silos and coordinators on any party silo, by the
/// metadata every silo announces
/// (<see cref="SiloMetadataKeys"/>). With no such silo in the cluster the activation fails with a message naming the
/// party, after waiting <see cref="MetadataWait"/> for silos whose metadata has not reached this one yet.
/// </summary>
/// <remarks>
/// Placement is part of security (DESIGN §2): a party's shares and rows must never be held by another party's silo.
/// Among matching silos the local one is preferred (no hop); otherwise a stable hash of the grain id picks one.
/// </remarks>
public sealed class RolePlacementDirector(PartyDirectory directory) : IPlacementDirector
{
    /// <summary>How long to wait for a matching silo's metadata before failing.</summary>
    public static readonly TimeSpan MetadataWait = TimeSpan.FromSeconds(15);

    /// <inheritdoc />
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        bool dealer = strategy is DealerPlacement;
        bool anyParty = strategy is CoordinatorPlacement;
        string? party = dealer || anyParty ? null : PartySessionKey.PartyOf(target.GrainIdentity.Key.ToString()!);
        string wanted = dealer ? "the dealer" : anyParty ? "any party" : $"party '{party}'";
        DateTime deadline = DateTime.UtcNow + MetadataWait;
        while (true)
        {
            SiloAddress[] matching = context.GetCompatibleSilos(target)
                .Where(s => anyParty ? directory.ServesAnyParty(s) : directory.Serves(s, party)).ToArray();
            if (matching.Length > 0)
            {
                if (matching.Contains(context.LocalSilo))
                {
                    return context.LocalSilo;
                }
                Array.Sort(matching, (a, b) => string.CompareOrdinal(a.ToParsableString(), b.ToParsableString()));
                return matching[(int)(target.GrainIdentity.GetUniformHashCode() % (uint)matching.Length)];
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new OrleansException($"No silo of {wanted} is in the cluster, so {target.GrainIdentity.Type} cannot be placed.");
            }
            await Task.Delay(100);
        }
    }
}
