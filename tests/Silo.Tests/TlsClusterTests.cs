using Microsoft.Extensions.Hosting;
using SecureCompute.Client;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Silo.Hosting;
using SecureCompute.Silo.Security;
using Xunit.Abstractions;

namespace SecureCompute.Silo.Tests;

/// <summary>
/// A cluster with mutual TLS on every connection (3 party silo processes + a dealer silo process, certificates from
/// one development CA): training works; clients without a certificate, or with one from another CA, cannot get in;
/// a silo whose certificate names another party refuses to start.
/// </summary>
public sealed class TlsClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ProcessClusterFixture cluster = ProcessClusterFixture.WithTls();
    private readonly OtlpReceiver collector = new();
    private readonly string scratch = Directory.CreateTempSubdirectory("securecompute-tls-test-").FullName;

    public Task InitializeAsync()
    {
        // The silos also export their telemetry over OTLP/HTTP, to a stand-in collector.
        cluster.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint;
        cluster.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        cluster.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        cluster.Environment["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        return cluster.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        collector.Dispose();
        Directory.Delete(scratch, recursive: true);
    }

    /// <summary>
    /// One cluster, every check in turn (starting four silo processes per test would cost more than the checks): the
    /// `train` command with the client's certificate gives the in-process model bit for bit; a client without a
    /// certificate and one whose certificate another CA issued both fail to make any call.
    /// </summary>
    [Fact]
    public async Task TrainsWithTlsAndRefusesClientsOutsideTheConsortium()
    {
        string spec = Path.Combine(scratch, "session.json");
        File.WriteAllText(spec, """
            { "parties": ["hospital-1", "hospital-2", "hospital-3"], "label": "benign", "epochs": 2, "reproducibleSeed": 6 }
            """);
        string folder = Path.Combine(scratch, "out");
        int exit = await CliApp.Build().Parse(new[] { "train", "--redis", cluster.Redis.ConnectionString, "--cluster-id", cluster.ClusterId,
            "--spec", spec, "--out", folder, "--tls-cert", cluster.Certificate("client-hospital-1-operator"), "--tls-key", cluster.Key("client-hospital-1-operator"),
            "--tls-ca", Path.Combine(cluster.Certificates, "ca.crt") }).InvokeAsync();
        Assert.Equal(0, exit);
        double[] weights = InProcessReference.ModelWeights(folder);
        Assert.Equal(InProcessReference.Program(new SessionSpec("x", ProcessClusterFixture.Hospitals, "benign", Epochs: 2), 6).Weights, weights);

        // Telemetry left the silos over OTLP: the rounds' spans (from the coordinator's silo), the parties' spans under
        // each silo's service name, and the round counter.
        Assert.True(await collector.WaitForAsync("/v1/traces", "mpc.round", TimeSpan.FromSeconds(15)), "no mpc.round span reached the collector");
        foreach (string hospital in ProcessClusterFixture.Hospitals)
        {
            Assert.True(await collector.WaitForAsync("/v1/traces", $"securecompute-{hospital}", TimeSpan.FromSeconds(15)), $"no span from {hospital}'s silo");
        }
        Assert.True(await collector.WaitForAsync("/v1/metrics", "mpc.rounds", TimeSpan.FromSeconds(15)), "no mpc.rounds metric reached the collector");

        // The control for the two refusals below: a fresh client with the consortium's client certificate gets in
        // through exactly the same steps and limits.
        Assert.Null(await TryCallAsync(ConsortiumTls.Load(cluster.Certificate("client"), cluster.Key("client"), Path.Combine(cluster.Certificates, "ca.crt"))));

        // Redis serves TLS only and wants a consortium certificate: the client's works, none does not.
        ConsortiumTls clientTls = ConsortiumTls.Load(cluster.Certificate("client"), cluster.Key("client"), Path.Combine(cluster.Certificates, "ca.crt"));
        Assert.True(await RedisPingsAsync(clientTls));
        Assert.False(await RedisPingsAsync(null));

        string none = await RefusedAsync(null);
        string foreignFolder = Path.Combine(scratch, "foreign");
        DevelopmentCertificates.Write(foreignFolder, ProcessClusterFixture.Hospitals, caName: "Foreign CA");
        string foreign = await RefusedAsync(ConsortiumTls.Load(Path.Combine(foreignFolder, "client.crt"), Path.Combine(foreignFolder, "client.key"),
            Path.Combine(foreignFolder, "ca.crt")));
        output.WriteLine($"no certificate: {none}\nforeign CA: {foreign}");
    }

    /// <summary>A silo given hospital-2's certificate but claiming hospital-1 lists the mismatch and exits 2 without joining.</summary>
    [Fact]
    public async Task SiloWithAnotherPartysCertificateRefusesToStart()
    {
        var arguments = cluster.ArgumentsOf(0).ToArray();
        int cert = Array.IndexOf(arguments, "--tls-cert");
        int key = Array.IndexOf(arguments, "--tls-key");
        arguments[cert + 1] = cluster.Certificate("hospital-2");
        arguments[key + 1] = cluster.Key("hospital-2");
        Assert.Equal("hospital-1", arguments[Array.IndexOf(arguments, "--party") + 1]);
        using ChildProcess impostor = ChildProcess.StartDotnet(RepositoryPaths.SiloProgram(), arguments);
        int exit = await impostor.WaitExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(impostor.Output);
        Assert.Equal(2, exit);
        Assert.Contains("names party 'hospital-2', but this silo claims to be party 'hospital-1'", impostor.Output);
        Assert.DoesNotContain(SiloHost.ReadyLine, impostor.Output);
        // hospital-1's grains still run on hospital-1's own silo.
        Assert.Equal("hospital-1", await cluster.Grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of("tls-placement", "hospital-1")).GetHostPartyAsync());
    }

    /// <summary>Whether Redis answers a PING over a connection with <paramref name="tls"/> (within 5 s).</summary>
    private async Task<bool> RedisPingsAsync(ConsortiumTls? tls)
    {
        StackExchange.Redis.ConfigurationOptions options = RedisTls.Options(cluster.Redis.ConnectionString, tls);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 5000;
        using StackExchange.Redis.ConnectionMultiplexer redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options);
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisConnectionException or TimeoutException or StackExchange.Redis.RedisTimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Asserts that a client with <paramref name="tls"/> at the gateways cannot make a call — given the consortium
    /// client's access to Redis, so that it does find the gateways and it is their TLS that refuses it; returns why.
    /// </summary>
    private async Task<string> RefusedAsync(ConsortiumTls? tls)
    {
        Exception? refused = await TryCallAsync(tls, ConsortiumTls.Load(cluster.Certificate("client"), cluster.Key("client"), Path.Combine(cluster.Certificates, "ca.crt")));
        Assert.NotNull(refused);
        return $"{refused.GetType().Name}: {refused.Message.Split('\n')[0]}";
    }

    /// <summary>Starts a client with <paramref name="tls"/> (and <paramref name="redisTls"/> for Redis, by default the same) and makes one call, within 15 s each; returns the failure, or null.</summary>
    private async Task<Exception?> TryCallAsync(ConsortiumTls? tls, ConsortiumTls? redisTls = null)
    {
        using IHost client = cluster.Client(tls, redisTls);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await client.StartAsync(timeout.Token);
            var grains = (IGrainFactory)client.Services.GetService(typeof(IGrainFactory))!;
            string? host = await grains.GetGrain<ITrainingSessionGrain>("tls-probe").GetHostPartyAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Contains(host, ProcessClusterFixture.Hospitals);
            await client.StopAsync(CancellationToken.None);
            return null;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            return e;
        }
    }
}
