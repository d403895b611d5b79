using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using SecureCompute.Silo.Hosting;
using SecureCompute.Silo.Security;

namespace SecureCompute.Silo.Tests;

/// <summary>
/// A cluster the way parties deploy it: redis-server, one silo process per hospital and a dealer silo process, all on
/// Redis clustering with a fresh cluster id; and an Orleans client connected to it.
/// </summary>
public sealed class ProcessClusterFixture : IAsyncLifetime
{
    private readonly bool persistent;
    private readonly bool tls;

    /// <summary>How long a coordinator waits for a lost party's silo to come back (short for the shared cluster, whose
    /// lost parties do not come back; longer for a persistent one, whose do).</summary>
    public string PartyLossGrace => persistent ? "00:01:00" : "00:00:05";

    private readonly List<string[]> arguments = new();
    private readonly string keys = Directory.CreateTempSubdirectory("securecompute-keys-").FullName;

    /// <summary>The hospitals (data/breast-cancer).</summary>
    public static readonly string[] Hospitals = { "hospital-1", "hospital-2", "hospital-3" };

    private readonly List<ChildProcess> silos = new();
    private IHost? client;

    /// <summary>The Redis server.</summary>
    public RedisServer Redis { get; private set; } = null!;

    /// <summary>The cluster id the silos use.</summary>
    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}"[..17];

    /// <summary>The shared cluster: in-memory grain storage.</summary>
    public ProcessClusterFixture()
    {
    }

    private ProcessClusterFixture(bool persistent, bool tls = false)
    {
        this.persistent = persistent;
        this.tls = tls;
    }

    /// <summary>A cluster whose grain state lives in Redis, sealed with a key file per silo.</summary>
    public static ProcessClusterFixture Persistent() => new(true);

    /// <summary>A cluster with mutual TLS on every connection (certificates from <see cref="DevelopmentCertificates"/>).</summary>
    public static ProcessClusterFixture WithTls() => new(false, tls: true);

    /// <summary>Environment variables every silo process gets (set before <see cref="InitializeAsync"/>).</summary>
    public Dictionary<string, string> Environment { get; } = new();

    /// <summary>The folder with the consortium's PEM files (TLS clusters): ca.crt, NAME.crt, NAME.key.</summary>
    public string Certificates => Path.Combine(keys, "tls");

    /// <summary>A grain factory of a client connected to the cluster.</summary>
    public IGrainFactory Grains => client!.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo processes (party silos in hospital order, then the dealer).</summary>
    public IReadOnlyList<ChildProcess> Silos => silos;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (tls)
        {
            // Redis too is TLS-only and wants a consortium client certificate; it is served with the dealer's
            // certificate, as in the deployment where the dealer's organisation hosts it.
            DevelopmentCertificates.Write(Certificates, Hospitals);
            Redis = RedisServer.Start((Certificate("dealer"), Key("dealer"), Path.Combine(Certificates, "ca.crt")));
        }
        else
        {
            Redis = RedisServer.Start();
        }
        string program = RepositoryPaths.SiloProgram();
        foreach (string hospital in Hospitals)
        {
            // These tests are about processes, storage and transport; each party admits every session (policies are
            // tested in Grains.Tests/Governance) — explicitly, through the same --policy file a deployment uses.
            string policy = Path.Combine(keys, $"{hospital}.policy.json");
            File.WriteAllText(policy, SecureCompute.Grains.Policy.PartyPolicy.Permissive(hospital).ToJson());
            arguments.Add(Arguments(hospital, "--party", hospital, "--data", RepositoryPaths.Data("breast-cancer", hospital), "--policy", policy));
        }
        arguments.Add(Arguments("dealer", "--role", "dealer"));
        silos.AddRange(arguments.Select(a => ChildProcess.StartDotnet(program, a, SiloHost.ReadyLine, Environment)));
        await Task.WhenAll(silos.Select(s => s.WaitReadyAsync(TimeSpan.FromSeconds(90))));
        client = Client(tls ? ConsortiumTls.Load(Certificate("client"), Key("client"), Path.Combine(Certificates, "ca.crt")) : null);
        await client.StartAsync();
    }

    /// <summary>
    /// An Orleans client for this cluster (not started), with mutual TLS to the gateways when <paramref name="clientTls"/>
    /// is given, and to Redis with <paramref name="redisTls"/> (by default the same).
    /// </summary>
    public IHost Client(ConsortiumTls? clientTls, ConsortiumTls? redisTls = null) =>
        new HostBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseOrleansClient(c =>
            {
                c.UseRedisClustering(o => o.ConfigurationOptions = RedisTls.Options(Redis.ConnectionString, redisTls ?? clientTls));
                c.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = ClusterId;
                    o.ServiceId = "securecompute";
                });
                ClientTls.Apply(c, clientTls);
            })
            .Build();

    /// <summary>
    /// The tests' client: an operator of hospital-1 (declared without TLS; with TLS its certificate names it), so a
    /// recipient of the model by default.
    /// </summary>
    public SecureCompute.Grains.Interfaces.Governance.ClientSigner Operator => tls
        ? SecureCompute.Grains.Interfaces.Governance.ClientSigner.WithCertificate(OperatorCertificate(), new SecureCompute.Grains.Interfaces.Governance.OperatorIdentity("hospital-1", "operator"))
        : SecureCompute.Grains.Interfaces.Governance.ClientSigner.Declaring(new SecureCompute.Grains.Interfaces.Governance.OperatorIdentity("hospital-1", "tester"));

    private System.Security.Cryptography.X509Certificates.X509Certificate2 OperatorCertificate() =>
        System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(Certificate("client-hospital-1-operator"), Key("client-hospital-1-operator"));

    /// <summary>The certificate file of member <paramref name="name"/> (TLS clusters).</summary>
    public string Certificate(string name) => Path.Combine(Certificates, name + ".crt");

    /// <summary>The key file of member <paramref name="name"/> (TLS clusters).</summary>
    public string Key(string name) => Path.Combine(Certificates, name + ".key");

    /// <summary>The arguments silo <paramref name="index"/> was started with.</summary>
    public IReadOnlyList<string> ArgumentsOf(int index) => arguments[index];

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
        Directory.Delete(keys, recursive: true);
    }

    /// <summary>Starts silo <paramref name="index"/> again with its original settings (after it was killed); waits until ready.</summary>
    public async Task RestartAsync(int index)
    {
        silos[index].Dispose();
        silos[index] = ChildProcess.StartDotnet(RepositoryPaths.SiloProgram(), arguments[index], SiloHost.ReadyLine, Environment);
        await silos[index].WaitReadyAsync(TimeSpan.FromSeconds(90));
    }

    private string[] Arguments(string name, params string[] identity)
    {
        var all = identity.Concat(new[]
        {
            "--silo-port", ChildProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-port", ChildProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--clustering", "redis", "--redis", Redis.ConnectionString, "--cluster-id", ClusterId, "--party-loss-grace", PartyLossGrace,
            // These tests compare cluster runs with the simulator bit for bit.
            "--allow-reproducible-seeds",
        }).ToList();
        if (tls)
        {
            all.AddRange(new[] { "--tls-cert", Certificate(name), "--tls-key", Key(name), "--tls-ca", Path.Combine(Certificates, "ca.crt") });
        }
        if (persistent)
        {
            string key = Path.Combine(keys, name + ".key");
            File.WriteAllText(key, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            all.AddRange(new[] { "--storage", "redis", "--key-file", key });
        }
        return all.ToArray();
    }
}

[CollectionDefinition(Name)]
public sealed class ProcessClusterCollection : ICollectionFixture<ProcessClusterFixture>
{
    public const string Name = "process cluster";
}
