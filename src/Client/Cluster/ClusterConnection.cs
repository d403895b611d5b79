using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Silo.Security;

namespace SecureCompute.Client.Cluster;

/// <summary>
/// How a console command reaches a running cluster and who it is there: Redis clustering, optional mutual TLS (the
/// client certificate then names the operator and signs every request), or — without TLS, development only — a
/// declared identity (<c>--as party:name</c>) that only silos without TLS believe.
/// </summary>
internal sealed class ClusterConnection
{
    /// <summary>How long the client tries to reach a gateway before giving up.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The cluster's Redis.</summary>
    public Option<string> Redis { get; } = new("--redis")
    {
        Description = "The cluster's Redis (a StackExchange.Redis connection string), e.g. 127.0.0.1:6379, or redis.example.org:6380,ssl=true,password=... for TLS.",
        Required = true,
    };

    /// <summary>The cluster id.</summary>
    public Option<string> ClusterId { get; } = new("--cluster-id") { Description = "The cluster id the silos use.", DefaultValueFactory = _ => "securecompute" };

    /// <summary>This client's certificate.</summary>
    public Option<string> TlsCert { get; } = new("--tls-cert") { Description = "This client's certificate (PEM) for mutual TLS with the silos; it names the operator (urn:securecompute:client:<party>:<name>)." };

    /// <summary>The certificate's key.</summary>
    public Option<string> TlsKey { get; } = new("--tls-key") { Description = "The certificate's private key (PEM)." };

    /// <summary>The consortium's CA.</summary>
    public Option<string> TlsCa { get; } = new("--tls-ca") { Description = "The consortium's CA certificate (PEM); only silos with certificates it issued are accepted." };

    /// <summary>A declared identity (no TLS).</summary>
    public Option<string> As { get; } = new("--as") { Description = "DEVELOPMENT ONLY, without TLS: the operator this client says it is (party:name); only silos without TLS believe it." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Redis, ClusterId, TlsCert, TlsKey, TlsCa, As })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The TLS settings and the client's identity from the parsed options; null and the problems when they do not fit.</summary>
    public (ConsortiumTls? Tls, ClientSigner? Signer, string? Problem) Identity(ParseResult result)
    {
        ConsortiumTls? tls;
        try
        {
            tls = ClientTls.Load(result.GetValue(TlsCert), result.GetValue(TlsKey), result.GetValue(TlsCa));
        }
        catch (TlsSetupException e)
        {
            return (null, null, e.Message);
        }
        string? declared = result.GetValue(As);
        if (tls is not null)
        {
            return declared is null
                ? (tls, ClientSigner.WithCertificate(tls.Certificate, tls.Identity.Operator), null)
                : (null, null, "--as is for silos without TLS; with TLS the client certificate names the operator.");
        }
        if (declared is null)
        {
            return (null, ClientSigner.Anonymous, null);
        }
        return OperatorIdentity.TryParse(declared) is { } who
            ? (null, ClientSigner.Declaring(who), null)
            : (null, null, $"--as must be party:name (letters, digits, '-', '_', '.'), not '{declared}'.");
    }

    /// <summary>Connects an Orleans client to the cluster (through Redis), or fails with a one-line reason.</summary>
    public static async Task<IHost> ConnectAsync(string redis, string clusterId, ConsortiumTls? tls, CancellationToken cancellationToken)
    {
        IHost host = new HostBuilder()
            .ConfigureLogging(logging => logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error)
                // A failed start is reported below in one line; the host's own error log would add a stack trace.
                .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None))
            .UseOrleansClient(c =>
            {
                c.UseRedisClustering(o => o.ConfigurationOptions = RedisTls.Options(redis, tls));
                c.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = "securecompute";
                });
                ClientTls.Apply(c, tls);
            })
            .Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await host.StartAsync(timeout.Token);
            return host;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new ClusterUnreachableException($"no silo of cluster '{clusterId}' could be reached through Redis at {redis} within {ConnectTimeout.TotalSeconds:F0} s ({e.GetType().Name}{(tls is null ? "; if the silos use TLS, pass --tls-cert, --tls-key and --tls-ca" : "; with TLS, check that the silos use TLS and certificates from the same CA")}).");
        }
    }
}

/// <summary>The client found no gateway of the cluster.</summary>
internal sealed class ClusterUnreachableException(string message) : Exception(message);
