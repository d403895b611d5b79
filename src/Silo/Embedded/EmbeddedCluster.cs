using Orleans.Configuration;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SecureCompute.Grains.Hosting;

namespace SecureCompute.Silo.Embedded;

/// <summary>
/// A whole cluster in one process: one silo per given identity (a silo per party plus a dealer silo), localhost
/// clustering on free loopback ports, the first silo as primary, in-memory grain storage. For the demo and the tests.
/// </summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly IHost[] hosts;

    private EmbeddedCluster(IHost[] hosts, IReadOnlyList<SiloIdentity> identities)
    {
        this.hosts = hosts;
        Identities = identities;
    }

    /// <summary>The silos' identities, in start order.</summary>
    public IReadOnlyList<SiloIdentity> Identities { get; }

    /// <summary>The silos' hosts, in start order.</summary>
    public IReadOnlyList<IHost> Hosts => hosts;

    /// <summary>A grain factory usable from outside any grain (the first silo's).</summary>
    public IGrainFactory Grains => hosts[0].Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts one silo per identity and waits until all have joined.</summary>
    /// <param name="identities">The silos to run (at least one party silo and one dealer silo for a session).</param>
    /// <param name="configureSilo">Extra configuration for every silo (e.g. a test's services).</param>
    /// <param name="minimumLogLevel">Log level of the silos' console output; warnings by default.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="configureEach">Extra configuration for silo i (its index in <paramref name="identities"/>), e.g. its own certificate.</param>
    /// <param name="allowReproducibleSeeds">Whether the silos take part in reproducible-seed sessions (demos, benchmarks
    /// and tests that compare with the simulator bit for bit); off, as on a production silo, unless asked for.</param>
    public static async Task<EmbeddedCluster> StartAsync(IReadOnlyList<SiloIdentity> identities, Action<ISiloBuilder>? configureSilo = null,
        LogLevel minimumLogLevel = LogLevel.Warning, CancellationToken cancellationToken = default, Action<ISiloBuilder, int>? configureEach = null,
        bool allowReproducibleSeeds = false)
    {
        if (identities.Count == 0)
        {
            throw new ArgumentException("A cluster needs at least one silo.", nameof(identities));
        }
        string clusterId = $"securecompute-{Guid.NewGuid():N}"[..22];
        int[] siloPorts = FreePorts(identities.Count);
        int[] gatewayPorts = FreePorts(identities.Count);
        var primary = new IPEndPoint(IPAddress.Loopback, siloPorts[0]);
        var hosts = new List<IHost>();
        try
        {
            for (int i = 0; i < identities.Count; i++)
            {
                SiloIdentity identity = identities[i];
                int silo = siloPorts[i], gateway = gatewayPorts[i];
                IHost host = new HostBuilder()
                    .ConfigureLogging(logging => logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(minimumLogLevel)
                        .AddFilter("Orleans", OrleansLogLevel(minimumLogLevel))
                        .AddFilter("Polly", LogLevel.Warning))
                    .UseOrleans(builder =>
                    {
                        builder.UseLocalhostClustering(silo, gateway, primary, serviceId: "securecompute", clusterId: clusterId);
                        builder.AddMemoryGrainStorageAsDefault();
                        builder.Configure<SiloOptions>(o => o.SiloName = identity.Party is null ? $"dealer-{i}" : $"party-{identity.Party}");
                        builder.AddSecureCompute(identity, sessions => sessions.AllowReproducibleSeeds = allowReproducibleSeeds);
                        configureSilo?.Invoke(builder);
                        configureEach?.Invoke(builder, i);
                    })
                    .Build();
                await host.StartAsync(cancellationToken);
                hosts.Add(host);
            }
        }
        catch
        {
            await StopAllAsync(hosts);
            throw;
        }
        return new EmbeddedCluster(hosts.ToArray(), identities.ToArray());
    }

    /// <summary>Stops every silo, the primary last.</summary>
    public async ValueTask DisposeAsync() => await StopAllAsync(hosts);

    private static async Task StopAllAsync(IReadOnlyList<IHost> started)
    {
        for (int i = started.Count - 1; i >= 0; i--)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await started[i].StopAsync(stop.Token);
            }
            finally
            {
                started[i].Dispose();
            }
        }
    }

    /// <summary>
    /// Orleans' own categories one level quieter than ours below errors: in one process on a small machine its start-up
    /// notes (server GC, watchdog on the first check) are warnings about the demo's setting, not the cluster's health.
    /// </summary>
    /// <remarks>Polly, under Orleans' placement retries, logs every attempt with its duration at information level:
    /// warnings only.</remarks>
    private static LogLevel OrleansLogLevel(LogLevel ours) => ours >= LogLevel.Warning ? LogLevel.Error : ours;

    /// <summary>Distinct free loopback ports (asked of the OS, then released for the silos to bind).</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (TcpListener l in listeners)
            {
                l.Start();
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (TcpListener l in listeners)
            {
                l.Stop();
            }
        }
    }
}
