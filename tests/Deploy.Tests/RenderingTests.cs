namespace SecureCompute.Deploy.Tests;

/// <summary>Every kustomization renders on its own, and each overlay is one namespace.</summary>
public sealed class RenderingTests
{
    public static TheoryData<string> Applied => new(Rendering.Applied);

    public static TheoryData<string> SiloOverlays => new(Rendering.SiloOverlays);

    [SkippableTheory]
    [MemberData(nameof(Applied))]
    public void Kustomization_renders_with_kubectl(string kustomization)
    {
        Rendering rendering = Rendering.Of(kustomization);
        Assert.NotEmpty(rendering.Documents);
        foreach (var doc in rendering.Documents)
        {
            Assert.False(string.IsNullOrEmpty(doc.Str("apiVersion")), $"{kustomization}: a document without apiVersion");
            Assert.False(string.IsNullOrEmpty(doc.Str("kind")), $"{kustomization}: a document without kind");
            Assert.False(string.IsNullOrEmpty(doc.Name()), $"{kustomization}: a {doc.Str("kind")} without a name");
        }
        var duplicates = rendering.Documents.GroupBy(d => $"{d.Str("kind")}/{d.Obj("metadata")?.Str("namespace")}/{d.Name()}").Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void Overlay_is_one_namespace_that_enforces_restricted_pod_security(string overlay)
    {
        Rendering rendering = Rendering.Of(overlay);
        var ns = Assert.Single(rendering.OfKind("Namespace"));
        string name = ns.Name()!;
        Assert.Equal("restricted", ns.Obj("metadata")?.Obj("labels")?.Str("pod-security.kubernetes.io/enforce"));
        var elsewhere = rendering.Documents.Where(d => d.Str("kind") is not "Namespace" && d.Obj("metadata")?.Str("namespace") != name)
            .Select(d => $"{d.Str("kind")}/{d.Name()} in '{d.Obj("metadata")?.Str("namespace")}'");
        Assert.Empty(elsewhere);
    }

    [Fact]
    public void Every_overlay_directory_is_tested()
    {
        // A new overlay must be added to Rendering's lists, or none of these checks would see it.
        string overlays = Path.Combine(RepositoryPaths.Kubernetes, "overlays");
        var present = Directory.GetDirectories(overlays).Select(d => "overlays/" + Path.GetFileName(d)).Order().ToList();
        Assert.Equal(Rendering.SiloOverlays.Order(), present);
    }

    [Fact]
    public void Kubectl_is_present_or_its_absence_is_reported()
    {
        // Not a check of the manifests: it makes the reason for skipped tests visible in the log.
        if (Tools.Kubectl is null)
        {
            Console.WriteLine($"note: {Tools.KubectlMissing}");
        }
        Assert.True(Tools.Kubectl is null || File.Exists(Tools.Kubectl));
    }
}
