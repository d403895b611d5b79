using System.Text.Json.Nodes;

namespace SecureCompute.Deploy.Tests;

/// <summary>Every pod is locked down (the "restricted" Pod Security Standard and more) and sized.</summary>
public sealed class SecurityTests
{
    /// <summary>The uid of the .NET images' non-root "app" user ($APP_UID), which deploy/docker's images run as.</summary>
    private const long DotnetAppUid = 1654;

    public static TheoryData<string> Applied => new(Rendering.Applied);

    [SkippableTheory]
    [MemberData(nameof(Applied))]
    public void Pods_run_non_root_read_only_without_privileges_and_with_limits(string kustomization)
    {
        var problems = new List<string>();
        foreach (PodTemplate pod in Rendering.Of(kustomization).PodTemplates())
        {
            JsonObject security = pod.Spec.Obj("securityContext") ?? new JsonObject();
            if (security.Bool("runAsNonRoot") != true)
            {
                problems.Add($"{pod}: runAsNonRoot is not set");
            }
            if (security.Obj("seccompProfile")?.Str("type") != "RuntimeDefault")
            {
                problems.Add($"{pod}: no RuntimeDefault seccomp profile");
            }
            bool ours = pod.Labels.GetValueOrDefault("app.kubernetes.io/name") == "securecompute";
            if (ours && security["runAsUser"]?.GetValue<long>() != DotnetAppUid)
            {
                problems.Add($"{pod}: runs as uid {security["runAsUser"]}, not the image's user {DotnetAppUid}");
            }
            foreach (JsonObject container in pod.AllContainers)
            {
                string where = $"{pod}/{container.Str("name")}";
                JsonObject c = container.Obj("securityContext") ?? new JsonObject();
                if (c.Bool("allowPrivilegeEscalation") != false)
                {
                    problems.Add($"{where}: allowPrivilegeEscalation is not false");
                }
                if (c.Bool("readOnlyRootFilesystem") != true)
                {
                    problems.Add($"{where}: the root file system is writable");
                }
                if (!(c.Obj("capabilities")?.Arr("drop").Any(x => x?.ToString() == "ALL") ?? false))
                {
                    problems.Add($"{where}: capabilities are not all dropped");
                }
                foreach (string kind in new[] { "requests", "limits" })
                {
                    foreach (string resource in new[] { "cpu", "memory" })
                    {
                        if (container.Obj("resources")?.Obj(kind)?[resource] is null)
                        {
                            problems.Add($"{where}: no {resource} {kind}");
                        }
                    }
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [SkippableTheory]
    [MemberData(nameof(Applied))]
    public void A_silo_is_one_pod_replaced_never_doubled(string kustomization)
    {
        foreach (PodTemplate pod in Rendering.Of(kustomization).Silos())
        {
            Assert.Equal("Deployment", pod.Owner.Str("kind"));
            Assert.Equal(1, pod.Owner.Obj("spec")?["replicas"]?.GetValue<long>());
            Assert.Equal("Recreate", pod.Owner.Obj("spec")?.Obj("strategy")?.Str("type"));
        }
    }
}
