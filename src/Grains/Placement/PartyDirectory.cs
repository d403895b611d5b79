using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;

namespace SecureCompute.Grains.Placement;

/// <summary>
/// Which silos of the cluster serve which party, from the membership table and the silos' metadata. With TLS (when
/// <see cref="ISiloCredentials"/> is registered) a silo counts only once it proved, by signing a fresh challenge with
/// its certificate's key, that its certificate names what its metadata announces: a silo that announces a party its
/// certificate does not name serves nobody here — its peers refuse it, whatever it checked of itself at start.
/// </summary>
public sealed partial class PartyDirectory(IClusterMembershipService membership, ISiloMetadataCache metadata, SiloIdentity local, ILocalSiloDetails localSilo,
    IEnumerable<ISiloCredentials> credentials, IGrainFactory grains, ILogger<PartyDirectory> logger)
{
    /// <summary>How long a silo's answer to a challenge may take.</summary>
    private static readonly TimeSpan ProofTimeout = TimeSpan.FromSeconds(10);

    private readonly ISiloCredentials? ours = credentials.FirstOrDefault();
    private readonly ConcurrentDictionary<SiloAddress, Task<PeerIdentity?>> proofs = new();
    private readonly ConcurrentDictionary<SiloAddress, bool> refused = new();

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
        bool announced = party is null
            ? role == nameof(SiloRole.Dealer)
            : role == nameof(SiloRole.Party) && values.TryGetValue(SiloMetadataKeys.Party, out string? id) && id == party;
        return announced && Proven(silo, party is null, party);
    }

    /// <summary>
    /// Whether <paramref name="silo"/> serves <paramref name="party"/> (the dealer when null), waiting up to the proof
    /// timeout for a challenge still under way (a call's source is decided once its silo's proof is in).
    /// </summary>
    public async ValueTask<bool> ServesAsync(SiloAddress silo, string? party)
    {
        if (ours is not null && !silo.Equals(localSilo.SiloAddress))
        {
            Task<PeerIdentity?> proof = proofs.GetOrAdd(silo, s => Task.Run(() => ChallengeAsync(s)));
            try
            {
                await proof.WaitAsync(ProofTimeout);
            }
            catch (Exception)
            {
                // Unproven: Serves answers false (and a failed proof is asked again next time).
            }
        }
        return Serves(silo, party);
    }

    /// <summary>
    /// Without TLS: true. With TLS: whether <paramref name="silo"/> proved the identity it announces. The first ask
    /// starts the challenge and answers false; placement asks again until it is answered (a failed challenge is retried).
    /// </summary>
    private bool Proven(SiloAddress silo, bool dealer, string? party)
    {
        if (ours is null)
        {
            return true;
        }
        Task<PeerIdentity?> proof = proofs.GetOrAdd(silo, s => Task.Run(() => ChallengeAsync(s)));
        if (proof.IsFaulted || proof.IsCanceled)
        {
            proofs.TryRemove(new KeyValuePair<SiloAddress, Task<PeerIdentity?>>(silo, proof));
            return false;
        }
        if (!proof.IsCompletedSuccessfully)
        {
            return false;
        }
        PeerIdentity? proven = proof.Result;
        bool same = proven is not null && (dealer ? proven.Dealer : !proven.Dealer && proven.Party == party);
        if (!same && refused.TryAdd(silo, true))
        {
            LogRefused(logger, silo.ToString(), dealer ? "the dealer" : $"party {party}",
                proven is null ? "no consortium identity" : proven.Dealer ? "the dealer" : $"party {proven.Party}");
        }
        return same;
    }

    private async Task<PeerIdentity?> ChallengeAsync(SiloAddress silo)
    {
        byte[] nonce = RandomNumberGenerator.GetBytes(32);
        SiloAttestation answer = await grains.GetGrain<ISiloAttestationGrain>(silo.ToParsableString()).ProveAsync(nonce).WaitAsync(ProofTimeout);
        return ours!.Verify(answer, nonce, silo);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Silo {Silo} announces {Announced}, but proved {Proven}: it hosts no grain of {Announced} here")]
    private static partial void LogRefused(ILogger logger, string silo, string announced, string proven);

    /// <summary>Whether silo <paramref name="silo"/> is a party silo (of any party).</summary>
    public bool ServesAnyParty(SiloAddress silo)
    {
        if (silo.Equals(localSilo.SiloAddress))
        {
            return local.Role == SiloRole.Party;
        }
        var values = metadata.GetSiloMetadata(silo).Metadata;
        return values.TryGetValue(SiloMetadataKeys.Role, out string? role) && role == nameof(SiloRole.Party)
            && values.TryGetValue(SiloMetadataKeys.Party, out string? party) && Proven(silo, false, party);
    }

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
