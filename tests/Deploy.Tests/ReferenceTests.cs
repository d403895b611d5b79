using System.Text.Json.Nodes;

namespace SecureCompute.Deploy.Tests;

/// <summary>
/// Within each rendering: every Secret, ConfigMap, claim and service account a pod refers to exists (with the keys
/// used), variables refer to variables defined before them, Services and probes name ports that exist.
/// </summary>
public sealed class ReferenceTests
{
    public static TheoryData<string> Applied => new(Rendering.Applied);

    [SkippableTheory]
    [MemberData(nameof(Applied))]
    public void Every_referenced_Secret_ConfigMap_claim_and_account_exists(string kustomization)
    {
        Rendering rendering = Rendering.Of(kustomization);
        var problems = new List<string>();
        void Need(PodTemplate pod, string kind, string? name, string? key = null)
        {
            JsonObject? obj = rendering.Find(kind, name ?? "");
            if (obj is null)
            {
                problems.Add($"{pod}: {kind} '{name}' is not in the rendering");
            }
            else if (key is not null && !new[] { "data", "stringData", "binaryData" }.Any(d => obj.Obj(d)?.ContainsKey(key) == true))
            {
                problems.Add($"{pod}: {kind} '{name}' has no key '{key}'");
            }
        }
        foreach (PodTemplate pod in rendering.PodTemplates())
        {
            foreach (JsonObject volume in pod.Spec.Arr("volumes").OfType<JsonObject>())
            {
                if (volume.Obj("secret") is { } s)
                {
                    Need(pod, "Secret", s.Str("secretName"));
                    foreach (JsonObject item in s.Arr("items").OfType<JsonObject>())
                    {
                        Need(pod, "Secret", s.Str("secretName"), item.Str("key"));
                    }
                }
                if (volume.Obj("configMap") is { } c)
                {
                    Need(pod, "ConfigMap", c.Str("name"));
                    foreach (JsonObject item in c.Arr("items").OfType<JsonObject>())
                    {
                        Need(pod, "ConfigMap", c.Str("name"), item.Str("key"));
                    }
                }
                if (volume.Obj("persistentVolumeClaim") is { } p)
                {
                    Need(pod, "PersistentVolumeClaim", p.Str("claimName"));
                }
            }
            foreach (JsonObject container in pod.AllContainers)
            {
                foreach (JsonObject entry in container.Arr("env").OfType<JsonObject>())
                {
                    if (entry.Obj("valueFrom")?.Obj("secretKeyRef") is { } s)
                    {
                        Need(pod, "Secret", s.Str("name"), s.Str("key"));
                    }
                    if (entry.Obj("valueFrom")?.Obj("configMapKeyRef") is { } c)
                    {
                        Need(pod, "ConfigMap", c.Str("name"), c.Str("key"));
                    }
                }
                foreach (JsonObject from in container.Arr("envFrom").OfType<JsonObject>())
                {
                    if (from.Obj("secretRef") is { } s)
                    {
                        Need(pod, "Secret", s.Str("name"));
                    }
                    if (from.Obj("configMapRef") is { } c)
                    {
                        Need(pod, "ConfigMap", c.Str("name"));
                    }
                }
                var volumes = pod.Spec.Arr("volumes").OfType<JsonObject>().Select(v => v.Str("name")).ToHashSet();
                foreach (JsonObject mount in container.Arr("volumeMounts").OfType<JsonObject>())
                {
                    if (!volumes.Contains(mount.Str("name")))
                    {
                        problems.Add($"{pod}/{container.Str("name")}: mounts volume '{mount.Str("name")}', which the pod does not define");
                    }
                }
            }
            if (pod.Spec.Str("serviceAccountName") is { } account && account != "default")
            {
                Need(pod, "ServiceAccount", account);
            }
        }
        foreach (JsonObject binding in rendering.OfKind("RoleBinding"))
        {
            if (rendering.Find(binding.Obj("roleRef")?.Str("kind") ?? "", binding.Obj("roleRef")?.Str("name") ?? "") is null)
            {
                problems.Add($"RoleBinding/{binding.Name()}: its role is not in the rendering");
            }
            foreach (JsonObject subject in binding.Arr("subjects").OfType<JsonObject>().Where(s => s.Str("kind") == "ServiceAccount"))
            {
                if (rendering.Find("ServiceAccount", subject.Str("name") ?? "") is null)
                {
                    problems.Add($"RoleBinding/{binding.Name()}: service account '{subject.Str("name")}' is not in the rendering");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [SkippableTheory]
    [MemberData(nameof(Applied))]
    public void Variables_refer_only_to_variables_defined_before_them(string kustomization)
    {
        var problems = new List<string>();
        foreach (PodTemplate pod in Rendering.Of(kustomization).PodTemplates())
        {
            foreach (JsonObject container in pod.AllContainers)
            {
                var env = ContainerEnvironment.Of(container, pod.Namespace);
                problems.AddRange(env.Problems.Select(p => $"{pod}/{container.Str("name")}: {p}"));
                var defined = env.Entries.Select(e => e.Name).ToHashSet();
                foreach (string word in container.Arr("command").Concat(container.Arr("args")).Select(a => a?.ToString() ?? ""))
                {
                    foreach (var m in ContainerEnvironment.Reference().Matches(word).Where(m => !defined.Contains(m.Groups[1].Value)))
                    {
                        problems.Add($"{pod}/{container.Str("name")}: an argument refers to $({m.Groups[1].Value}), which the container does not define");
                    }
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [SkippableTheory]
    [MemberData(nameof(Applied))]
    public void Services_select_pods_and_target_their_ports(string kustomization)
    {
        Rendering rendering = Rendering.Of(kustomization);
        var problems = new List<string>();
        foreach (JsonObject service in rendering.OfKind("Service"))
        {
            var selected = rendering.PodTemplates().Where(p => p.SelectedBy(service.Obj("spec")?.Obj("selector"))).ToList();
            if (selected.Count == 0)
            {
                problems.Add($"Service/{service.Name()} selects no pod");
            }
            foreach (JsonObject port in service.Obj("spec")!.Arr("ports").OfType<JsonObject>())
            {
                JsonNode? target = port["targetPort"] ?? port["port"];
                foreach (PodTemplate pod in selected)
                {
                    JsonObject? containerPort = Services.ContainerPort(pod, target);
                    if (containerPort is null)
                    {
                        problems.Add($"Service/{service.Name()} port {port.Str("name")}: target '{target}' is no container port of {pod}");
                    }
                    else if (pod.IsSilo && containerPort["containerPort"]?.GetValue<long>() != port["port"]?.GetValue<long>())
                    {
                        // Orleans advertises the port it listens on: peers dial <advertised host>:<that port>.
                        problems.Add($"Service/{service.Name()} port {port["port"]} forwards to {containerPort["containerPort"]}: a silo's Service port must equal its container port");
                    }
                }
            }
            if (selected.Any(p => p.IsSilo) && selected.Count != 1)
            {
                problems.Add($"Service/{service.Name()} selects {selected.Count} silo pods: each silo needs its own address");
            }
        }
        foreach (PodTemplate pod in rendering.PodTemplates())
        {
            foreach (JsonObject container in pod.AllContainers)
            {
                foreach (string probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
                {
                    JsonObject? p = container.Obj(probe);
                    JsonNode? port = p?.Obj("tcpSocket")?["port"] ?? p?.Obj("httpGet")?["port"] ?? p?.Obj("grpc")?["port"];
                    if (p is not null && (port is null || Services.ContainerPort(pod, port) is null))
                    {
                        problems.Add($"{pod}/{container.Str("name")}: {probe} checks port '{port}', which the pod does not have");
                    }
                }
            }
        }
        foreach (JsonObject budget in rendering.OfKind("PodDisruptionBudget"))
        {
            if (!rendering.PodTemplates().Any(p => p.SelectedBy(budget.Obj("spec")?.Obj("selector")?.Obj("matchLabels"))))
            {
                problems.Add($"PodDisruptionBudget/{budget.Name()} selects no pod");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
