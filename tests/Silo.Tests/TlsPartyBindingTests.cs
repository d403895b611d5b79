using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Silo.Embedded;
using SecureCompute.Silo.Security;
using Xunit.Abstractions;

namespace SecureCompute.Silo.Tests;

/// <summary>
/// Party binding enforced by the peers, not only by a silo's own start-up check: an in-process cluster with mutual TLS
/// in which one silo announces party hospital-3 while holding hospital-2's (valid, consortium-issued) certificate — as
/// a modified silo that skipped its own check would. The other silos never place hospital-3's grains on it.
/// </summary>
public sealed class TlsPartyBindingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string certificates = Directory.CreateTempSubdirectory("securecompute-binding-").FullName;
    private EmbeddedCluster? cluster;

    public async Task InitializeAsync()
    {
        DevelopmentCertificates.Write(certificates, ProcessClusterFixture.Hospitals);
        SiloIdentity[] identities =
        {
            SiloIdentity.ForParty("hospital-1", RepositoryPaths.Data("breast-cancer", "hospital-1")),
            SiloIdentity.ForParty("hospital-2", RepositoryPaths.Data("breast-cancer", "hospital-2")),
            SiloIdentity.ForDealer(),
            SiloIdentity.ForParty("hospital-3", RepositoryPaths.Data("breast-cancer", "hospital-3")),   // the impostor
        };
        string[] certificateOf = { "hospital-1", "hospital-2", "dealer", "hospital-2" };
        cluster = await EmbeddedCluster.StartAsync(identities, configureEach: (silo, i) =>
            TlsSetup.Apply(silo, ConsortiumTls.Load(Path.Combine(certificates, certificateOf[i] + ".crt"), Path.Combine(certificates, certificateOf[i] + ".key"),
                Path.Combine(certificates, "ca.crt"))));
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
        Directory.Delete(certificates, recursive: true);
    }

    [Fact]
    public async Task ASiloWhoseCertificateNamesAnotherPartyHostsNoneOfItsGrains()
    {
        // Control: honest parties' grains are placed on their own silos (hospital-2's from hospital-1's silo, after
        // hospital-2's silo proved itself).
        Assert.Equal("hospital-1", await cluster!.Grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of("binding", "hospital-1")).GetHostPartyAsync());
        Assert.Equal("hospital-2", await cluster.Grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of("binding", "hospital-2")).GetHostPartyAsync());

        // hospital-3's only claimant is the impostor: its grain cannot be placed at all (without the peers' check it
        // would be placed on the impostor and answer "hospital-3"). Placement gives up with our error, or with Orleans'
        // placement timeout when its retry of our 15 s wait runs out first.
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            cluster.Grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of("binding", "hospital-3")).GetHostPartyAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        output.WriteLine($"{error.GetType().Name}: {error.Message}");
        Assert.True(error.Message.Contains("No silo of party 'hospital-3'") || error.Message.Contains("placement operation timed out"), error.Message);
    }
}
