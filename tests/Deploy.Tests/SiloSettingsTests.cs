using System.Text.Json.Nodes;
using SecureCompute.Silo.Options;

namespace SecureCompute.Deploy.Tests;

/// <summary>
/// The silo pods against the silo itself: every variable is a setting of <see cref="SiloHostOptions"/> (or a known
/// standard one), the settings bind and pass the silo's own validator, the files they name are mounted, the ports and
/// labels agree with them.
/// </summary>
public sealed class SiloSettingsTests
{
    /// <summary>Variables a silo container may carry besides SecureCompute__ settings.</summary>
    private static readonly string[] StandardVariables = ["POD_NAME", "POD_NAMESPACE", "POD_IP", "OMP_NUM_THREADS"];

    /// <summary>Prefixes of standard variable families the silo (or .NET, or OpenTelemetry) reads.</summary>
    private static readonly string[] StandardPrefixes = ["OTEL_", "DOTNET_"];

    public static TheoryData<string> SiloOverlays => new(Rendering.SiloOverlays);

    [Fact]
    public void The_settings_paths_are_found_by_reflection()
    {
        // Guards the reflection itself: known settings are found, made-up ones are not.
        Assert.Contains("Ports:AdvertisedHost", SiloSettings.Paths);
        Assert.Contains("Sessions:RoundTimeout", SiloSettings.Paths);
        Assert.Contains("Governance:PolicyFile", SiloSettings.Paths);
        Assert.Contains("Governance:AllowReproducibleSeeds", SiloSettings.Paths);
        Assert.True(SiloSettings.Exists("SecureCompute__tls__AUTHORITY"));
        Assert.False(SiloSettings.Exists("SecureCompute__Ports__Advertised"));
        Assert.False(SiloSettings.Exists("SecureCompute__Ports"));
        Assert.False(SiloSettings.Exists("SecureCompute__Tls__Enabled"));
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void Every_variable_is_a_silo_setting_or_a_standard_one(string overlay)
    {
        var problems = new List<string>();
        foreach (PodTemplate pod in Silos(overlay))
        {
            foreach (JsonObject container in pod.AllContainers)
            {
                var env = ContainerEnvironment.Of(container, pod.Namespace);
                foreach (var (name, _, _) in env.Entries)
                {
                    bool ok = name.StartsWith(SiloHostOptions.Section + "__", StringComparison.OrdinalIgnoreCase)
                        ? SiloSettings.Exists(name)
                        : StandardVariables.Contains(name) || StandardPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || env.IsReferenced(name);
                    if (!ok)
                    {
                        problems.Add($"{pod}/{container.Str("name")}: {name} is neither a setting of SiloHostOptions ({string.Join(", ", SiloSettings.Paths)}), " +
                                     "nor a standard variable, nor used by another variable");
                    }
                }
                problems.AddRange(env.Problems.Select(p => $"{pod}/{container.Str("name")}: {p}"));
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void Settings_bind_and_pass_the_silos_own_validator(string overlay)
    {
        foreach (PodTemplate pod in Silos(overlay))
        {
            SiloHostOptions options = ContainerEnvironment.Of(pod.SiloContainer, pod.Namespace).BindSiloOptions(strict: true);
            // The files are mounted at run time (checked below), so "does not exist" is expected here and nothing else.
            var problems = SiloHostOptionsValidator.Problems(options).Where(p => !p.Contains("does not exist", StringComparison.Ordinal)).ToList();
            Assert.True(problems.Count == 0, $"{overlay} {pod}:\n{string.Join("\n", problems)}");
            Assert.True(options.Tls.Enabled, $"{overlay} {pod}: TLS is off");
            Assert.Equal("redis", options.Clustering.Provider);
            Assert.Equal("redis", options.Storage.Provider);
            Assert.False(string.IsNullOrEmpty(options.Storage.KeyFile), $"{overlay} {pod}: no at-rest key");
            Assert.False(options.Governance.AllowReproducibleSeeds, $"{overlay} {pod}: reproducible seeds are allowed");
            Assert.True(options.Role != "party" || !string.IsNullOrEmpty(options.Governance.PolicyFile), $"{overlay} {pod}: a party silo without a policy");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void Files_the_settings_name_are_mounted_from_existing_keys(string overlay)
    {
        Rendering rendering = Rendering.Of(overlay);
        var problems = new List<string>();
        foreach (PodTemplate pod in rendering.Silos())
        {
            SiloHostOptions options = Options(pod);
            var files = new List<(string Setting, string Path, bool DataVolumeAllowed)>
            {
                ("Storage:KeyFile", options.Storage.KeyFile, false),
                ("Tls:Certificate", options.Tls.Certificate, false),
                ("Tls:Key", options.Tls.Key, false),
                ("Tls:Authority", options.Tls.Authority, false),
            };
            if (options.Role == "party")
            {
                files.Add(("Party:DataFile", options.Party.DataFile, true));
                files.Add(("Governance:PolicyFile", options.Governance.PolicyFile, false));
            }
            foreach (var (setting, path, dataVolume) in files)
            {
                string? problem = Mounts.Provides(rendering, pod, pod.SiloContainer, path, allowPersistentVolume: dataVolume);
                if (problem is not null)
                {
                    problems.Add($"{pod}: {setting} = {path}: {problem}");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void Container_ports_are_the_configured_ports(string overlay)
    {
        foreach (PodTemplate pod in Silos(overlay))
        {
            SiloHostOptions options = Options(pod);
            var ports = pod.SiloContainer.Arr("ports").OfType<JsonObject>().ToDictionary(p => p.Str("name") ?? "", p => p["containerPort"]?.GetValue<long>());
            Assert.Equal(new[] { "gateway", "silo" }, ports.Keys.Order());
            Assert.Equal(options.Ports.Silo, ports["silo"]);
            Assert.Equal(options.Ports.Gateway, ports["gateway"]);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void Orleans_pod_labels_equal_the_cluster_settings(string overlay)
    {
        foreach (PodTemplate pod in Silos(overlay))
        {
            SiloHostOptions options = Options(pod);
            Assert.Equal(options.Clustering.ServiceId, pod.Labels.GetValueOrDefault("orleans/serviceId"));
            Assert.Equal(options.Clustering.ClusterId, pod.Labels.GetValueOrDefault("orleans/clusterId"));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void All_silos_of_an_overlay_form_one_cluster(string overlay)
    {
        var ids = Silos(overlay).Select(Options).Select(o => (o.Clustering.ClusterId, o.Clustering.ServiceId, o.Clustering.Redis)).Distinct().ToList();
        Assert.Single(ids);
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void Kubernetes_hosting_is_on_only_where_every_silo_of_the_cluster_is_in_the_namespace(string overlay)
    {
        Rendering rendering = Rendering.Of(overlay);
        var silos = rendering.Silos().Select(p => (Pod: p, Options: Options(p))).ToList();
        string[] parties = ClientJobTests.SessionSpecParties();
        foreach (var (pod, options) in silos)
        {
            if (!options.Kubernetes.Enabled)
            {
                continue;
            }
            // At start the silo declares dead every active silo without a pod here: the dealer and every party of the
            // session must have their silo in this very rendering (one namespace, checked above).
            Assert.Contains(silos, s => s.Options.Role == "dealer");
            foreach (string party in parties)
            {
                Assert.True(silos.Any(s => s.Options.Role == "party" && s.Options.Party.Id == party), $"{overlay}: Kubernetes hosting is on but party {party} has no silo here");
            }
            Assert.True(silos.All(s => s.Options.Kubernetes.Enabled), $"{overlay}: Kubernetes hosting must be on for all silos or none");
            Assert.Equal(true, pod.Spec.Bool("automountServiceAccountToken"));
            Assert.Equal(ContainerEnvironment.PodIp, options.Ports.AdvertisedHost);
            string account = pod.Spec.Str("serviceAccountName") ?? "default";
            Assert.True(Rbac.Grants(rendering, account, "pods", "get", "watch", "list", "patch"),
                $"{overlay} {pod}: service account {account} may not get/watch/list/patch pods");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void A_silo_behind_a_load_balancer_advertises_its_stable_address(string overlay)
    {
        Rendering rendering = Rendering.Of(overlay);
        foreach (PodTemplate pod in rendering.Silos())
        {
            SiloHostOptions options = Options(pod);
            if (Services.Selecting(rendering, pod).Any(s => s.Obj("spec")?.Str("type") == "LoadBalancer"))
            {
                Assert.False(options.Kubernetes.Enabled, $"{overlay} {pod}: behind a load balancer (other organisations) Kubernetes hosting must be off");
                Assert.NotEqual(ContainerEnvironment.PodIp, options.Ports.AdvertisedHost);
                Assert.Equal(UriHostNameType.Dns, Uri.CheckHostName(options.Ports.AdvertisedHost));
                Assert.Equal(1, pod.Owner.Obj("spec")?["replicas"]?.GetValue<long>());
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void In_cluster_addresses_name_services_of_the_overlay(string overlay)
    {
        Rendering rendering = Rendering.Of(overlay);
        var problems = new List<string>();
        foreach (PodTemplate pod in rendering.Silos())
        {
            SiloHostOptions options = Options(pod);
            var env = ContainerEnvironment.Of(pod.SiloContainer, pod.Namespace);
            string redis = options.Clustering.Redis.Split(',')[0];
            problems.AddRange(Services.CheckAddress(rendering, redis, "Clustering:Redis"));
            if (env["OTEL_EXPORTER_OTLP_ENDPOINT"] is { } otlp)
            {
                var uri = new Uri(otlp);
                problems.AddRange(Services.CheckAddress(rendering, $"{uri.Host}:{uri.Port}", "OTEL_EXPORTER_OTLP_ENDPOINT"));
            }
            else
            {
                problems.Add($"{pod}: OTEL_EXPORTER_OTLP_ENDPOINT is not set: no traces would be exported");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    internal static IEnumerable<PodTemplate> Silos(string overlay)
    {
        var silos = Rendering.Of(overlay).Silos().ToList();
        Assert.NotEmpty(silos);
        return silos;
    }

    internal static SiloHostOptions Options(PodTemplate pod) => ContainerEnvironment.Of(pod.SiloContainer, pod.Namespace).BindSiloOptions();
}
