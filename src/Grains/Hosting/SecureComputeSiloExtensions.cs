using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SecureCompute.Grains.Placement;
using SecureCompute.Grains.Sessions;

namespace SecureCompute.Grains.Hosting;

/// <summary>Adds SecureCompute's grains' services to a silo.</summary>
public static class SecureComputeSiloExtensions
{
    /// <summary>How long a grain call may wait for its answer on a SecureCompute silo.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Registers the silo's identity, announces it as silo metadata, and adds the party and dealer placement directors
    /// and Orleans' activity propagation (party-side spans become children of the caller's).
    /// </summary>
    /// <remarks>
    /// The one composition root of a SecureCompute silo: a silo process (<c>SiloHost</c>) and the embedded cluster
    /// both call this, differing only in their settings (<paramref name="configureSessions"/>) and in the Orleans
    /// providers they choose (clustering, storage, TLS).
    /// </remarks>
    /// <param name="builder">The silo.</param>
    /// <param name="identity">Who the silo is: a party (with its rows and policy) or the dealer.</param>
    /// <param name="configureSessions">The session settings (timeouts, reproducible seeds); the defaults otherwise.</param>
    public static ISiloBuilder AddSecureCompute(this ISiloBuilder builder, SiloIdentity identity, Action<SessionOptions>? configureSessions = null)
    {
        var metadata = new Dictionary<string, string> { [SiloMetadataKeys.Role] = identity.Role.ToString() };
        if (identity.Party is not null)
        {
            metadata[SiloMetadataKeys.Party] = identity.Party;
        }
        builder.UseSiloMetadata(metadata);
        builder.AddActivityPropagation();
        // The authorization boundary: every call to our grains is decided here before the grain sees it.
        builder.AddIncomingGrainCallFilter<Authorization.CallAuthorizer>();
        // A party's open waits at the coordinator until every party sent its own — through a lost party's detection
        // and return, up to the session's round timeout (120 s by default). The coordinator decides when a round has
        // waited too long; the transport must not give up first (Orleans' default is 30 s).
        builder.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
        // A session's coordinator keeps its rounds in memory. With Orleans' default directory, a silo's crash loses the
        // directory entries it held, and the next call can activate a second, empty coordinator elsewhere — the session
        // would then be lost although its coordinator's silo is alive (seen in the party-loss test). The distributed
        // directory recovers entries from the surviving silos on membership changes, so the coordinator stays one.
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10; chosen for the reason above, covered by the crash tests.
        builder.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        builder.ConfigureServices(services => services.AddSecureComputeServices(identity, configureSessions));
        return builder;
    }

    /// <summary>The services every SecureCompute silo registers (the one method <see cref="AddSecureCompute"/> funnels into).</summary>
    private static IServiceCollection AddSecureComputeServices(this IServiceCollection services, SiloIdentity identity, Action<SessionOptions>? configureSessions)
    {
        services.AddSingleton(identity);
        OptionsBuilder<SessionOptions> sessions = services.AddOptions<SessionOptions>();
        if (configureSessions is not null)
        {
            sessions.Configure(configureSessions);
        }
        services.AddOptions<Audit.AuditOptions>();
        services.AddSingleton<PartyDirectory>();
        services.AddSingleton<Data.SessionRows>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Governance.ClientIdentities>();
        services.AddPlacementDirector<PartyPlacement, RolePlacementDirector>();
        services.AddPlacementDirector<DealerPlacement, RolePlacementDirector>();
        services.AddPlacementDirector<CoordinatorPlacement, RolePlacementDirector>();
        services.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        return services;
    }
}
