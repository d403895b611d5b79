using System.Text.Json.Nodes;

namespace SecureCompute.Deploy.Tests;

/// <summary>
/// The NetworkPolicies, evaluated on the pods they are meant for: silos reach each other's silo port, the client
/// reaches gateways and Redis, silos reach Redis and the collector — and other pods reach none of them.
/// </summary>
public sealed class NetworkPolicyTests
{
    private static readonly Dictionary<string, string> Stranger = new() { ["app.kubernetes.io/name"] = "something-else" };

    public static TheoryData<string> SiloOverlays => new(Rendering.SiloOverlays);

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void Silos_reach_each_other_and_only_the_client_reaches_gateways(string overlay)
    {
        Rendering rendering = Rendering.Of(overlay);
        var client = ClientLabels();
        var silos = rendering.Silos().ToList();
        foreach (PodTemplate destination in silos)
        {
            foreach (PodTemplate source in silos)
            {
                Assert.True(Admits(rendering, destination, source.Labels, "silo"), $"{overlay}: {source} cannot reach {destination}'s silo port");
            }
            Assert.True(Admits(rendering, destination, client, "gateway"), $"{overlay}: the client cannot reach {destination}'s gateway");
            Assert.False(Admits(rendering, destination, client, "silo"), $"{overlay}: the client reaches {destination}'s silo port");
            Assert.False(Admits(rendering, destination, Stranger, "silo"), $"{overlay}: any pod reaches {destination}'s silo port");
            Assert.False(Admits(rendering, destination, Stranger, "gateway"), $"{overlay}: any pod reaches {destination}'s gateway");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void Redis_and_the_collector_admit_silos_and_the_client_only(string overlay)
    {
        Rendering rendering = Rendering.Of(overlay);
        var client = ClientLabels();
        var silos = rendering.Silos().ToList();
        var others = rendering.PodTemplates().Where(p => !p.IsSilo).ToList();
        PodTemplate? redis = others.FirstOrDefault(p => p.Labels.GetValueOrDefault("app.kubernetes.io/name") == "redis");
        PodTemplate? collector = others.FirstOrDefault(p => p.Labels.GetValueOrDefault("app.kubernetes.io/name") == "otel-collector");
        Assert.NotNull(collector);
        if (overlay is "overlays/dealer" or "overlays/single-cluster")
        {
            Assert.NotNull(redis);
        }
        if (redis is not null)
        {
            foreach (PodTemplate silo in silos)
            {
                Assert.True(Admits(rendering, redis, silo.Labels, "redis"), $"{overlay}: {silo} cannot reach Redis");
            }
            Assert.True(Admits(rendering, redis, client, "redis"), $"{overlay}: the client cannot reach Redis");
            Assert.False(Admits(rendering, redis, collector.Labels, "redis"), $"{overlay}: the collector reaches Redis");
            Assert.False(Admits(rendering, redis, Stranger, "redis"), $"{overlay}: any pod reaches Redis");
        }
        foreach (PodTemplate silo in silos)
        {
            Assert.True(Admits(rendering, collector, silo.Labels, "otlp-grpc"), $"{overlay}: {silo} cannot export to the collector");
        }
        Assert.False(Admits(rendering, collector, Stranger, "otlp-grpc"), $"{overlay}: any pod reaches the collector");
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void Every_policy_and_every_peer_selector_selects_some_pod(string overlay)
    {
        Rendering rendering = Rendering.Of(overlay);
        var pods = rendering.PodTemplates().Select(p => p.Labels).Append(ClientLabels()).ToList();
        var problems = new List<string>();
        foreach (JsonObject policy in rendering.OfKind("NetworkPolicy"))
        {
            JsonObject? selector = policy.Obj("spec")?.Obj("podSelector");
            var selected = rendering.PodTemplates().Where(p => Matches(selector, p.Labels)).ToList();
            if (selected.Count == 0)
            {
                problems.Add($"NetworkPolicy/{policy.Name()} selects no pod");
            }
            foreach (JsonObject rule in policy.Obj("spec")!.Arr("ingress").OfType<JsonObject>())
            {
                foreach (JsonObject peer in rule.Arr("from").OfType<JsonObject>().Where(p => p.Obj("podSelector") is not null && p.Obj("namespaceSelector") is null))
                {
                    if (!pods.Any(labels => Matches(peer.Obj("podSelector"), labels)))
                    {
                        problems.Add($"NetworkPolicy/{policy.Name()}: a peer selector {peer.Obj("podSelector")!.ToJsonString()} matches no pod");
                    }
                }
                foreach (JsonObject port in rule.Arr("ports").OfType<JsonObject>())
                {
                    if (!selected.Any(p => Services.ContainerPort(p, port["port"]) is not null))
                    {
                        problems.Add($"NetworkPolicy/{policy.Name()}: port '{port["port"]}' is no port of the pods it selects");
                    }
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_evaluator_denies_and_admits_as_Kubernetes_does()
    {
        // Guards the evaluator below on hand-made policies.
        var pod = new PodTemplate(new JsonObject { ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = "d" } }, new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "db" } },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["ports"] = new JsonArray(new JsonObject { ["name"] = "sql", ["containerPort"] = 5432L }) }) },
        });
        var web = new Dictionary<string, string> { ["app"] = "web" };
        Assert.True(Admits([], pod, web, "sql"));
        var policy = (JsonObject)JsonNode.Parse("""
            {"kind":"NetworkPolicy","metadata":{"name":"p"},"spec":{"podSelector":{"matchLabels":{"app":"db"}},"policyTypes":["Ingress"],
             "ingress":[{"ports":[{"port":5432}],"from":[{"podSelector":{"matchLabels":{"app":"web"}}}]}]}}
            """)!;
        Assert.True(Admits([policy], pod, web, "sql"));
        Assert.False(Admits([policy], pod, Stranger, "sql"));
        var denyAll = (JsonObject)JsonNode.Parse("""{"kind":"NetworkPolicy","metadata":{"name":"q"},"spec":{"podSelector":{},"policyTypes":["Ingress"]}}""")!;
        Assert.False(Admits([denyAll], pod, web, "sql"));
    }

    private static IReadOnlyDictionary<string, string> ClientLabels() => Assert.Single(Rendering.Of("client").PodTemplates()).Labels;

    private static bool Admits(Rendering rendering, PodTemplate destination, IReadOnlyDictionary<string, string> source, string portName) =>
        Admits(rendering.OfKind("NetworkPolicy").ToList(), destination, source, portName);

    /// <summary>
    /// Whether ingress to <paramref name="destination"/>'s named port from a pod with <paramref name="source"/>
    /// labels in the same namespace is allowed: no policy selects the destination, or a rule of one that does
    /// matches the port and a pod-selector peer (ipBlock peers are for addresses outside the cluster).
    /// </summary>
    private static bool Admits(IReadOnlyList<JsonObject> policies, PodTemplate destination, IReadOnlyDictionary<string, string> source, string portName)
    {
        long? number = Services.ContainerPort(destination, JsonValue.Create(portName))?["containerPort"]?.GetValue<long>();
        Assert.True(number is not null, $"{destination} has no port '{portName}'");
        var selecting = policies.Where(p => Matches(p.Obj("spec")?.Obj("podSelector"), destination.Labels)
                                            && (p.Obj("spec")!.Arr("policyTypes").Any(t => t?.ToString() == "Ingress") || p.Obj("spec")!["policyTypes"] is null))
            .ToList();
        if (selecting.Count == 0)
        {
            return true;
        }
        foreach (JsonObject rule in selecting.SelectMany(p => p.Obj("spec")!.Arr("ingress").OfType<JsonObject>()))
        {
            var ports = rule.Arr("ports").OfType<JsonObject>().ToList();
            bool portOk = ports.Count == 0 || ports.Any(p => p["port"] is JsonValue v && (v.TryGetValue(out long n) ? n == number : v.ToString() == portName));
            var peers = rule.Arr("from").OfType<JsonObject>().ToList();
            bool fromOk = rule["from"] is null || peers.Any(p => p.Obj("namespaceSelector") is null && p.Obj("podSelector") is { } s && Matches(s, source));
            if (portOk && fromOk)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A LabelSelector (matchLabels; matchExpressions are not used here and fail loudly).</summary>
    private static bool Matches(JsonObject? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return false;
        }
        Assert.Null(selector["matchExpressions"]);
        return (selector.Obj("matchLabels") ?? []).All(kv => labels.TryGetValue(kv.Key, out string? v) && v == kv.Value?.ToString());
    }
}
