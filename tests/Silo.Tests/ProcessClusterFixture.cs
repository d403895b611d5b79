using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using SecureCompute.Silo.Hosting;

namespace SecureCompute.Silo.Tests;

/// <summary>
/// A cluster the way parties deploy it: redis-server, one silo process per hospital and a dealer silo process, all on
/// Redis clustering with a fresh cluster id; and an Orleans client connected to it.
/// </summary>
public sealed class ProcessClusterFixture : IAsyncLifetime
{
    /// <summary>How long a coordinator waits for a party whose silos all left (short, for the tests).</summary>
    public const string PartyLossGrace = "00:00:05";

    /// <summary>The hospitals (data/breast-cancer).</summary>
    public static readonly string[] Hospitals = { "hospital-1", "hospital-2", "hospital-3" };

    private readonly List<ChildProcess> silos = new();
    private IHost? client;

    /// <summary>The Redis server.</summary>
    public RedisServer Redis { get; private set; } = null!;

    /// <summary>The cluster id the silos use.</summary>
    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}"[..17];

    /// <summary>A grain factory of a client connected to the cluster.</summary>
    public IGrainFactory Grains => client!.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo processes (party silos in hospital order, then the dealer).</summary>
    public IReadOnlyList<ChildProcess> Silos => silos;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Redis = RedisServer.Start();
        string program = RepositoryPaths.SiloProgram();
        foreach (string hospital in Hospitals)
        {
            silos.Add(ChildProcess.StartDotnet(program, Arguments("--party", hospital, "--data", RepositoryPaths.Data("breast-cancer", hospital)), SiloHost.ReadyLine));
        }
        silos.Add(ChildProcess.StartDotnet(program, Arguments("--role", "dealer"), SiloHost.ReadyLine));
        await Task.WhenAll(silos.Select(s => s.WaitReadyAsync(TimeSpan.FromSeconds(90))));
        client = new HostBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseOrleansClient(c =>
            {
                c.UseRedisClustering(Redis.ConnectionString);
                c.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = ClusterId;
                    o.ServiceId = "securecompute";
                });
            })
            .Build();
        await client.StartAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (client is not null)
        {
            await client.StopAsync();
            client.Dispose();
        }
        foreach (ChildProcess silo in silos)
        {
            silo.Dispose();
        }
        Redis.Dispose();
    }

    private string[] Arguments(params string[] identity) =>
        identity.Concat(new[]
        {
            "--silo-port", ChildProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-port", ChildProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--clustering", "redis", "--redis", Redis.ConnectionString, "--cluster-id", ClusterId, "--party-loss-grace", PartyLossGrace,
        }).ToArray();
}

[CollectionDefinition(Name)]
public sealed class ProcessClusterCollection : ICollectionFixture<ProcessClusterFixture>
{
    public const string Name = "process cluster";
}
