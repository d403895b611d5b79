using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using SecureCompute.Grains.Hosting;
using SecureCompute.Silo.Options;
using StackExchange.Redis;

namespace SecureCompute.Silo.Hosting;

/// <summary>Builds a party's or the dealer's silo process from its settings.</summary>
public static class SiloHost
{
    /// <summary>The line a silo prints once it has joined the cluster (scripts and tests wait for it).</summary>
    public const string ReadyLine = "SecureCompute silo ready";

    /// <summary>
    /// Runs the silo described by <paramref name="args"/> (plus appsettings.json and <c>SecureCompute__</c> environment
    /// variables) until stopped. Invalid settings: every problem on standard error and exit code 2, before joining.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = Array.Empty<string>(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddCommandLine(SiloHostOptions.ExpandFlags(args), SiloHostOptions.SwitchMappings.ToDictionary());
        var options = builder.Configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        IReadOnlyList<string> problems = SiloHostOptionsValidator.Problems(options);
        if (problems.Count > 0)
        {
            foreach (string problem in problems)
            {
                Console.Error.WriteLine($"error: {problem}");
            }
            return 2;
        }
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        SiloTelemetry.AddOtlpExport(builder, options);
        builder.UseOrleans(silo => Configure(silo, options));
        using IHost host = builder.Build();
        await host.StartAsync(cancellationToken);
        bool dealer = options.Role.Trim().Equals("dealer", StringComparison.OrdinalIgnoreCase);
        string who = dealer ? "dealer" : $"party {options.Party.Id}";
        if (!options.Tls.Enabled)
        {
            Console.WriteLine("WARNING: TLS is off — no silo's or client's identity is authenticated, and clients may declare who they are (--as). Development only.");
        }
        if (!dealer && string.IsNullOrWhiteSpace(options.Governance.PolicyFile))
        {
            Console.WriteLine($"policy: none given (--policy FILE), so the restrictive default: sessions only from party {options.Party.Id}'s own operators, releases only to session parties (docs/policy.md).");
        }
        else if (!dealer)
        {
            Console.WriteLine($"policy: {options.Governance.PolicyFile}");
        }
        if (options.Governance.AllowReproducibleSeeds)
        {
            Console.WriteLine("WARNING: reproducible seeds are allowed (--allow-reproducible-seeds): a session that names one has every secret seed derived from a public number. Tests and demos only.");
        }
        Console.WriteLine($"{ReadyLine}: {who} (silo port {options.Ports.Silo}, gateway port {options.Ports.Gateway}, cluster {options.Clustering.ClusterId})");
        await host.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    /// <summary>Clustering, storage, endpoints and SecureCompute's services from validated settings.</summary>
    public static void Configure(ISiloBuilder silo, SiloHostOptions options)
    {
        bool dealer = options.Role.Trim().Equals("dealer", StringComparison.OrdinalIgnoreCase);
        SiloIdentity identity = dealer ? SiloIdentity.ForDealer() : SiloIdentity.ForParty(options.Party.Id, options.Party.DataFile);
        if (!dealer && !string.IsNullOrWhiteSpace(options.Governance.PolicyFile))
        {
            identity.WithPolicy(Grains.Policy.PartyPolicyLoader.Load(options.Governance.PolicyFile, options.Party.Id));
        }
        if (!string.IsNullOrWhiteSpace(options.Storage.KeyFile))
        {
            identity.WithSealer(Grains.Storage.StateSealer.FromKeyFile(options.Storage.KeyFile));
        }
        silo.Configure<ClusterOptions>(c =>
        {
            c.ClusterId = options.Clustering.ClusterId;
            c.ServiceId = options.Clustering.ServiceId;
        });
        silo.Configure<SiloOptions>(s => s.SiloName = dealer ? $"dealer-{options.Ports.Silo}" : $"party-{options.Party.Id}-{options.Ports.Silo}");
        Security.ConsortiumTls? tls = options.Tls.Enabled ? Security.ConsortiumTls.Load(options.Tls.Certificate, options.Tls.Key, options.Tls.Authority) : null;
        if (options.Clustering.Provider.Trim().Equals("redis", StringComparison.OrdinalIgnoreCase))
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = Security.RedisTls.Options(options.Clustering.Redis, tls));
            if (string.IsNullOrWhiteSpace(options.Ports.AdvertisedHost) && options.Kubernetes.Enabled)
            {
                // Orleans' Kubernetes hosting advertises the pod's IP and listens on every interface; only the ports are ours.
                silo.Configure<EndpointOptions>(e =>
                {
                    e.SiloPort = options.Ports.Silo;
                    e.GatewayPort = options.Ports.Gateway;
                });
            }
            else if (string.IsNullOrWhiteSpace(options.Ports.AdvertisedHost))
            {
                silo.ConfigureEndpoints(IPAddress.Loopback, options.Ports.Silo, options.Ports.Gateway);
            }
            else
            {
                silo.ConfigureEndpoints(Advertised(options.Ports.AdvertisedHost.Trim()), options.Ports.Silo, options.Ports.Gateway, listenOnAnyHostAddress: true);
            }
        }
        else
        {
            silo.UseLocalhostClustering(options.Ports.Silo, options.Ports.Gateway,
                new IPEndPoint(IPAddress.Loopback, options.Clustering.PrimarySiloPort), options.Clustering.ServiceId, options.Clustering.ClusterId);
        }
        if (options.Storage.Provider.Trim().Equals("redis", StringComparison.OrdinalIgnoreCase))
        {
            string connection = string.IsNullOrWhiteSpace(options.Storage.Redis) ? options.Clustering.Redis : options.Storage.Redis;
            silo.AddRedisGrainStorageAsDefault(o => o.ConfigurationOptions = Security.RedisTls.Options(connection, tls));
        }
        else
        {
            silo.AddMemoryGrainStorageAsDefault();
        }
        if (tls is not null)
        {
            Security.TlsSetup.Apply(silo, tls);
        }
        if (options.Kubernetes.Enabled)
        {
            // Silo name, address and cluster ids from the pod (POD_NAME, POD_NAMESPACE, POD_IP and its labels). Only
            // for clusters whose silos all run in this namespace (SiloHostOptions.Kubernetes explains why).
            silo.UseKubernetesHosting();
        }
        silo.AddSecureCompute(identity, s =>
        {
            s.JoinTimeout = options.Sessions.JoinTimeout;
            s.PrepareTimeout = options.Sessions.PrepareTimeout;
            s.RoundTimeout = options.Sessions.RoundTimeout;
            s.PartyLossGrace = options.Sessions.PartyLossGrace;
            s.AllowReproducibleSeeds = options.Governance.AllowReproducibleSeeds;
        });
    }

    /// <summary>The address a host name or IP literal stands for (a name's first IPv4 address, else its first).</summary>
    private static IPAddress Advertised(string host)
    {
        if (IPAddress.TryParse(host, out IPAddress? address))
        {
            return address;
        }
        IPAddress[] addresses = Dns.GetHostAddresses(host);
        return addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"--advertise: the host name '{host}' has no address.");
    }
}
