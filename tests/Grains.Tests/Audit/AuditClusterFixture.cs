using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using SecureCompute.Grains.Audit;
using SecureCompute.Grains.Hosting;
using SecureCompute.Silo.Embedded;

namespace SecureCompute.Grains.Tests.Audit;

/// <summary>
/// Two party silos for the audit grain: <see cref="LocalParty"/> without an audit certificate (a local key) and
/// <see cref="CertifiedParty"/> whose silo signs with a certificate from <see cref="Authority"/>; and
/// <see cref="UnauditedParty"/>, whose silo has the audit trail off (the benchmark's baseline).
/// </summary>
public sealed class AuditClusterFixture : IAsyncLifetime
{
    /// <summary>The party whose silo signs with a local key.</summary>
    public const string LocalParty = "audit-local";

    /// <summary>The party whose silo signs with its certificate.</summary>
    public const string CertifiedParty = "audit-certified";

    /// <summary>The party whose silo has <see cref="AuditOptions.Enabled"/> off.</summary>
    public const string UnauditedParty = "audit-off";

    /// <summary>The CA that issued <see cref="CertifiedParty"/>'s certificate.</summary>
    public X509Certificate2 Authority { get; } = AuditCertificates.Authority("Audit cluster CA");

    /// <summary>The running cluster.</summary>
    public EmbeddedCluster Cluster { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        X509Certificate2 certificate = AuditCertificates.Party(Authority, CertifiedParty);
        SiloIdentity[] identities = { NoRows(LocalParty), NoRows(CertifiedParty), NoRows(UnauditedParty) };
        Cluster = await EmbeddedCluster.StartAsync(identities, configureEach: (silo, i) =>
        {
            if (i == 1)
            {
                silo.ConfigureServices(s => s.AddSingleton<IAuditKey>(new FixedAuditKey(certificate)));
            }
            if (i == 2)
            {
                silo.Services.Configure<AuditOptions>(o => o.Enabled = false);
            }
        });
    }

    /// <summary>A grain factory on <paramref name="party"/>'s own silo (code there calls as that silo).</summary>
    public IGrainFactory GrainsOf(string party) =>
        Cluster.Hosts[Cluster.Identities.ToList().FindIndex(i => i.Party == party)].Services.GetRequiredService<IGrainFactory>();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Authority.Dispose();
    }

    private static SiloIdentity NoRows(string party) => SiloIdentity.ForParty(party, _ => throw new IOException("the audit tests' silos hold no rows"));

    private sealed class FixedAuditKey(X509Certificate2 certificate) : IAuditKey
    {
        public X509Certificate2 Certificate { get; } = certificate;
    }
}
