using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using SecureCompute.Silo.Security;

namespace SecureCompute.Client;

/// <summary>Connects the console's Orleans client to a running cluster (Redis clustering, optional mutual TLS).</summary>
internal static class ClusterConnection
{
    /// <summary>How long the client tries to reach a gateway before giving up.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    /// <summary>A started client host; throws <see cref="Train.ClusterUnreachableException"/> when no gateway answers in time.</summary>
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
            throw new Train.ClusterUnreachableException($"no silo of cluster '{clusterId}' could be reached through Redis at {redis} within {ConnectTimeout.TotalSeconds:F0} s ({e.GetType().Name}{(tls is null ? "; if the silos use TLS, pass --tls-cert, --tls-key and --tls-ca" : "; with TLS, check that the silos use TLS and certificates from the same CA")}).");
        }
    }
}
