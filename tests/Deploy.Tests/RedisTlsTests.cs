using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SecureCompute.Silo.Options;
using StackExchange.Redis;

namespace SecureCompute.Deploy.Tests;

/// <summary>
/// Redis is mutual TLS wherever it is used: the Redis container serves TLS only and requires client certificates, from
/// mounted Secret keys of the consortium's CA; every silo's and the train Job's connection string asks for TLS (with
/// the member's own certificate, so the silo/client presents it); the ports agree from container to Service to
/// NetworkPolicy to the other organisations' addresses.
/// </summary>
public sealed partial class RedisTlsTests
{
    public static TheoryData<string> SiloOverlays => new(Rendering.SiloOverlays);

    /// <summary>The overlays that host Redis.</summary>
    public static TheoryData<string> RedisHosts => new("overlays/dealer", "overlays/single-cluster");

    /// <summary>The client kustomizations.</summary>
    public static TheoryData<string> Clients => new("client", "overlays/single-cluster/client");

    [Theory]
    [InlineData("redis:6379,password=x,ssl=true,abortConnect=false", true)]
    [InlineData("redis:6379,password=x,abortConnect=false", false)]
    [InlineData("redis:6379,password=x,ssl=false", false)]
    [InlineData("redis:6379,ssl=true", false)]
    public void The_connection_string_check_tells_TLS_with_a_password_from_the_rest(string connection, bool ok)
    {
        // Guards the check below: it reads the string as StackExchange.Redis (and so the silo) does.
        Assert.Equal(ok, ConnectionProblem(connection) is null);
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void Every_silos_Redis_connection_is_TLS_with_its_own_certificate(string overlay)
    {
        var problems = new List<string>();
        foreach (PodTemplate pod in SiloSettingsTests.Silos(overlay))
        {
            SiloHostOptions options = SiloSettingsTests.Options(pod);
            if (!options.Tls.Enabled)
            {
                problems.Add($"{pod}: TLS files are not configured: the silo would present no certificate to Redis");
            }
            foreach (var (setting, connection) in new[] { ("Clustering:Redis", options.Clustering.Redis), ("Storage:Redis", options.Storage.Redis) })
            {
                if (setting == "Storage:Redis" && string.IsNullOrEmpty(connection))
                {
                    continue; // storage uses Clustering:Redis
                }
                if (ConnectionProblem(connection) is { } problem)
                {
                    problems.Add($"{pod}: {setting} = {connection}: {problem}");
                }
            }
        }
        Assert.True(problems.Count == 0, $"{overlay}:\n{string.Join("\n", problems)}");
    }

    [SkippableTheory]
    [MemberData(nameof(Clients))]
    public void The_train_Jobs_Redis_connection_is_TLS_with_its_own_certificate(string kustomization)
    {
        PodTemplate job = Assert.Single(Rendering.Of(kustomization).PodTemplates());
        JsonObject container = Assert.Single(job.Containers);
        var env = ContainerEnvironment.Of(container, job.Namespace);
        string[] args = container.Arr("args").Select(a => ContainerEnvironment.Reference().Replace(a!.ToString(), m => env[m.Groups[1].Value] ?? m.Value)).ToArray();
        string redis = Value(args, "--redis");
        Assert.True(ConnectionProblem(redis) is null, $"{kustomization}: --redis {redis}: {ConnectionProblem(redis)}");
        foreach (string option in new[] { "--tls-cert", "--tls-key", "--tls-ca" })
        {
            Assert.False(string.IsNullOrEmpty(Value(args, option)), $"{kustomization}: no {option}: the client would present no certificate to Redis");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(RedisHosts))]
    public void Redis_serves_mutual_TLS_only_from_mounted_consortium_material(string overlay)
    {
        Rendering rendering = Rendering.Of(overlay);
        PodTemplate pod = RedisPod(rendering);
        JsonObject container = pod.Containers.Single(c => c.Str("name") == "redis");
        var flags = ServerFlags(container);
        var problems = new List<string>();

        if (flags.GetValueOrDefault("--port") != "0")
        {
            problems.Add($"--port is '{flags.GetValueOrDefault("--port")}', not 0: Redis would also serve plain TCP");
        }
        if (!long.TryParse(flags.GetValueOrDefault("--tls-port"), out long tlsPort) || tlsPort <= 0)
        {
            problems.Add($"--tls-port is '{flags.GetValueOrDefault("--tls-port")}': no TLS port");
        }
        if (flags.GetValueOrDefault("--tls-auth-clients") != "yes")
        {
            problems.Add($"--tls-auth-clients is '{flags.GetValueOrDefault("--tls-auth-clients")}', not yes: clients without a consortium certificate would be admitted");
        }
        if (string.IsNullOrEmpty(flags.GetValueOrDefault("--requirepass")))
        {
            problems.Add("--requirepass is not set");
        }
        foreach (string flag in new[] { "--tls-cert-file", "--tls-key-file", "--tls-ca-cert-file" })
        {
            string path = flags.GetValueOrDefault(flag) ?? "";
            if (Mounts.Provides(rendering, pod, container, path, allowPersistentVolume: false) is { } problem)
            {
                problems.Add($"{flag} {path}: {problem}");
            }
        }
        // The CA Redis checks client certificates against is the one the silos' certificates chain to.
        string? redisCa = SecretValue(rendering, pod, container, flags.GetValueOrDefault("--tls-ca-cert-file") ?? "");
        foreach (PodTemplate silo in rendering.Silos())
        {
            SiloHostOptions options = SiloSettingsTests.Options(silo);
            string? siloCa = SecretValue(rendering, silo, silo.SiloContainer, options.Tls.Authority);
            if (redisCa is null || siloCa != redisCa)
            {
                problems.Add($"Redis's --tls-ca-cert-file is not the CA file {silo} trusts ({options.Tls.Authority})");
            }
        }

        // The one container port is the TLS port, and probes need no client certificate.
        var ports = container.Arr("ports").OfType<JsonObject>().ToList();
        if (ports.Count != 1 || ports[0]["containerPort"]?.GetValue<long>() != tlsPort)
        {
            problems.Add($"the container's ports ({string.Join(", ", ports.Select(p => p["containerPort"]))}) are not exactly the TLS port {tlsPort}");
        }
        foreach (string probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            if (container.Obj(probe) is not { } p)
            {
                continue;
            }
            if (p.Obj("tcpSocket") is { } socket)
            {
                if (Services.ContainerPort(pod, socket["port"])?["containerPort"]?.GetValue<long>() != tlsPort)
                {
                    problems.Add($"{probe} probes port '{socket["port"]}', not the TLS port");
                }
            }
            else if (p.Obj("exec") is { } exec && string.Join(' ', exec.Arr("command").Select(c => c?.ToString())) is var command && !command.Contains("--tls", StringComparison.Ordinal))
            {
                problems.Add($"{probe} runs '{command}' without --tls: it fails on a TLS-only Redis");
            }
            else if (p.Obj("exec") is null)
            {
                problems.Add($"{probe} is neither a TCP probe nor a command with --tls");
            }
        }
        Assert.True(problems.Count == 0, $"{overlay}:\n{string.Join("\n", problems)}");
    }

    [SkippableTheory]
    [MemberData(nameof(RedisHosts))]
    public void Redis_Service_and_NetworkPolicy_use_the_TLS_port(string overlay)
    {
        Rendering rendering = Rendering.Of(overlay);
        PodTemplate pod = RedisPod(rendering);
        long tlsPort = long.Parse(ServerFlags(pod.Containers.Single(c => c.Str("name") == "redis"))["--tls-port"]);
        JsonObject service = Assert.Single(Services.Selecting(rendering, pod));
        foreach (JsonObject port in service.Obj("spec")!.Arr("ports").OfType<JsonObject>())
        {
            Assert.Equal(tlsPort, Services.ContainerPort(pod, port["targetPort"] ?? port["port"])?["containerPort"]?.GetValue<long>());
        }
        var policies = rendering.OfKind("NetworkPolicy").Where(p => pod.SelectedBy(p.Obj("spec")?.Obj("podSelector")?.Obj("matchLabels"))).ToList();
        Assert.NotEmpty(policies);
        foreach (JsonObject rule in policies.SelectMany(p => p.Obj("spec")!.Arr("ingress").OfType<JsonObject>()))
        {
            foreach (JsonObject port in rule.Arr("ports").OfType<JsonObject>())
            {
                Assert.Equal(tlsPort, Services.ContainerPort(pod, port["port"])?["containerPort"]?.GetValue<long>());
            }
        }
    }

    [SkippableFact]
    public void Other_organisations_reach_Redis_on_the_port_its_load_balancer_serves()
    {
        Rendering dealer = Rendering.Of("overlays/dealer");
        JsonObject service = Assert.Single(Services.Selecting(dealer, RedisPod(dealer)));
        Assert.Equal("LoadBalancer", service.Obj("spec")?.Str("type"));
        var served = service.Obj("spec")!.Arr("ports").OfType<JsonObject>().Select(p => p["port"]?.GetValue<long>()).ToHashSet();
        var problems = new List<string>();
        foreach (string overlay in Rendering.OrganisationOverlays.Where(o => o != "overlays/dealer"))
        {
            foreach (PodTemplate silo in SiloSettingsTests.Silos(overlay))
            {
                string address = SiloSettingsTests.Options(silo).Clustering.Redis.Split(',')[0];
                if (!long.TryParse(address.Split(':').Last(), out long port) || !served.Contains(port))
                {
                    problems.Add($"{overlay} {silo}: Redis at '{address}', but the dealer's Redis load balancer serves port(s) {string.Join(", ", served)}");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Null if <paramref name="connection"/> asks for TLS and carries a password, else what is wrong.</summary>
    private static string? ConnectionProblem(string connection)
    {
        ConfigurationOptions options = ConfigurationOptions.Parse(connection);
        if (!options.Ssl)
        {
            return "no ssl=true: Redis serves TLS only, and the connection would cross organisations in clear";
        }
        return string.IsNullOrEmpty(options.Password) ? "no password (Redis requires one)" : null;
    }

    private static PodTemplate RedisPod(Rendering rendering) =>
        Assert.Single(rendering.PodTemplates(), p => p.Labels.GetValueOrDefault("app.kubernetes.io/name") == "redis");

    [GeneratedRegex("""(?:"[^"]*"|'[^']*'|\S)+""")]
    private static partial Regex Word();

    /// <summary>The flags of the container's <c>redis-server</c> command line (script or plain command/args).</summary>
    private static Dictionary<string, string> ServerFlags(JsonObject container)
    {
        string text = string.Join('\n', container.Arr("command").Concat(container.Arr("args")).Select(c => c?.ToString()));
        text = text.Replace("\\\n", " ", StringComparison.Ordinal);
        string? line = text.Split('\n').FirstOrDefault(l => l.Contains("redis-server", StringComparison.Ordinal));
        Assert.True(line is not null, "the Redis container runs no redis-server");
        var words = Word().Matches(line![(line.IndexOf("redis-server", StringComparison.Ordinal) + "redis-server".Length)..]).Select(m => m.Value.Trim('"', '\'')).ToList();
        var flags = new Dictionary<string, string>();
        for (int i = 0; i < words.Count; i++)
        {
            if (words[i].StartsWith("--", StringComparison.Ordinal))
            {
                bool hasValue = i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal);
                Assert.True(flags.TryAdd(words[i], hasValue ? words[i + 1] : ""), $"redis-server is given {words[i]} twice");
            }
        }
        return flags;
    }

    /// <summary>The Secret data behind a mounted file (base64, as rendered), or null.</summary>
    private static string? SecretValue(Rendering rendering, PodTemplate pod, JsonObject container, string path)
    {
        var mount = container.Arr("volumeMounts").OfType<JsonObject>()
            .Where(m => m.Str("mountPath") is { } at && path.StartsWith(at.TrimEnd('/') + "/", StringComparison.Ordinal))
            .MaxBy(m => m.Str("mountPath")!.Length);
        if (mount is null || pod.Volume(mount.Str("name") ?? "")?.Obj("secret") is not { } secret)
        {
            return null;
        }
        string key = path[(mount.Str("mountPath")!.TrimEnd('/').Length + 1)..];
        return rendering.Find("Secret", secret.Str("secretName") ?? "")?.Obj("data")?.Str(key);
    }

    private static string Value(string[] args, string option)
    {
        int i = Array.IndexOf(args, option);
        Assert.True(i >= 0 && i + 1 < args.Length, $"the Job passes no {option}");
        return args[i + 1];
    }
}
