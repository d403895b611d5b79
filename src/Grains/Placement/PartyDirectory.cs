using Orleans.Runtime.MembershipService.SiloMetadata;
using SecureCompute.Grains.Hosting;

namespace SecureCompute.Grains.Placement;

/// <summary>Which silos of the cluster serve which party, from the membership table and the silos' metadata.</summary>
public sealed class PartyDirectory(IClusterMembershipService membership, ISiloMetadataCache metadata, SiloIdentity local, ILocalSiloDetails localSilo)
{
    /// <summary>The active silos of <paramref name="party"/> (or of the dealer when <paramref name="party"/> is null).</summary>
    public SiloAddress[] SilosOf(string? party) =>
        membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)
            .Where(s => Serves(s, party)).ToArray();

    /// <summary>Whether silo <paramref name="silo"/> serves <paramref name="party"/> (the dealer when null).</summary>
    public bool Serves(SiloAddress silo, string? party)
    {
        if (silo.Equals(localSilo.SiloAddress))
        {
            return party is null ? local.Role == SiloRole.Dealer : local.Role == SiloRole.Party && local.Party == party;
        }
        var values = metadata.GetSiloMetadata(silo).Metadata;
        if (!values.TryGetValue(SiloMetadataKeys.Role, out string? role))
        {
            return false;
        }
        return party is null
            ? role == nameof(SiloRole.Dealer)
            : role == nameof(SiloRole.Party) && values.TryGetValue(SiloMetadataKeys.Party, out string? id) && id == party;
    }

    /// <summary>Whether silo <paramref name="silo"/> is a party silo (of any party).</summary>
    public bool ServesAnyParty(SiloAddress silo) =>
        silo.Equals(localSilo.SiloAddress)
            ? local.Role == SiloRole.Party
            : metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloMetadataKeys.Role, out string? role) && role == nameof(SiloRole.Party);

    /// <summary>Waits up to <paramref name="timeout"/> for a silo of each party (and the dealer); returns the ones still missing.</summary>
    public async Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> parties, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var missing = parties.Where(p => SilosOf(p).Length == 0).Select(p => $"party '{p}'").ToList();
            if (SilosOf(null).Length == 0)
            {
                missing.Add("the dealer");
            }
            if (missing.Count == 0 || DateTime.UtcNow > deadline)
            {
                return missing;
            }
            await Task.Delay(100);
        }
    }
}
