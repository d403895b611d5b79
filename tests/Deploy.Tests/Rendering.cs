using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SecureCompute.Deploy.Tests;

/// <summary>A kustomization rendered by <c>kubectl kustomize</c>: its YAML text and its documents as JSON.</summary>
internal sealed class Rendering
{
    private static readonly ConcurrentDictionary<string, Lazy<Rendering>> Cache = new();

    private Rendering(string kustomization, string yaml, IReadOnlyList<JsonObject> documents)
    {
        Kustomization = kustomization;
        Yaml = yaml;
        Documents = documents;
    }

    /// <summary>The multi-organisation overlays: one organisation's part each.</summary>
    public static readonly string[] OrganisationOverlays = ["overlays/hospital-1", "overlays/hospital-2", "overlays/hospital-3", "overlays/dealer"];

    /// <summary>Every overlay that deploys silos.</summary>
    public static readonly string[] SiloOverlays = [.. OrganisationOverlays, "overlays/single-cluster"];

    /// <summary>Every kustomization an operator applies (silo overlays and the train Job's).</summary>
    public static readonly string[] Applied = [.. SiloOverlays, "client", "overlays/single-cluster/client"];

    /// <summary>The path under deploy/k8s.</summary>
    public string Kustomization { get; }

    /// <summary>kubectl's output.</summary>
    public string Yaml { get; }

    /// <summary>The documents, in kubectl's order.</summary>
    public IReadOnlyList<JsonObject> Documents { get; }

    /// <summary>Renders (once per test run) deploy/k8s/<paramref name="kustomization"/>; fails with kubectl's error.</summary>
    public static Rendering Of(string kustomization)
    {
        Tools.RequireKubectl();
        return Cache.GetOrAdd(kustomization, k => new Lazy<Rendering>(() => Render(k))).Value;
    }

    private static Rendering Render(string kustomization)
    {
        string dir = Path.Combine(RepositoryPaths.Kubernetes, Path.Combine(kustomization.Split('/')));
        var (exit, output, error) = Tools.Run(Tools.Kubectl!, ["kustomize", dir]);
        if (exit != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize deploy/k8s/{kustomization} failed ({exit}): {error.Trim()}");
        }
        return new Rendering(kustomization, output, ParseYaml(output));
    }

    /// <summary>Every document of a multi-document YAML text as JSON (plain scalars typed as YAML 1.2 core does).</summary>
    public static IReadOnlyList<JsonObject> ParseYaml(string yaml) => ParseYamlRoots(yaml).OfType<JsonObject>().ToList();

    /// <summary>Every document's root, whatever it is (a JSON 6902 patch file's root is a sequence).</summary>
    public static IReadOnlyList<JsonNode?> ParseYamlRoots(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => ToJson(d.RootNode)).ToList();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }
        if (value is "" or "~" or "null")
        {
            return null;
        }
        if (value is "true" or "false")
        {
            return JsonValue.Create(value == "true");
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
        {
            return JsonValue.Create(number);
        }
        return JsonValue.Create(value);
    }

    /// <summary>The documents of one kind.</summary>
    public IEnumerable<JsonObject> OfKind(string kind) => Documents.Where(d => d.Str("kind") == kind);

    /// <summary>The document of a kind and name, or null.</summary>
    public JsonObject? Find(string kind, string name) => OfKind(kind).FirstOrDefault(d => d.Name() == name);

    /// <summary>Every pod template: Deployments', StatefulSets', DaemonSets', Jobs' and bare Pods'.</summary>
    public IEnumerable<PodTemplate> PodTemplates()
    {
        foreach (JsonObject doc in Documents)
        {
            string kind = doc.Str("kind") ?? "";
            JsonObject? template = kind switch
            {
                "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" => doc.Obj("spec")?.Obj("template"),
                "CronJob" => doc.Obj("spec")?.Obj("jobTemplate")?.Obj("spec")?.Obj("template"),
                "Pod" => doc,
                _ => null,
            };
            if (template is not null)
            {
                yield return new PodTemplate(doc, template);
            }
        }
    }

    /// <summary>The silo pods (label app.kubernetes.io/component=silo).</summary>
    public IEnumerable<PodTemplate> Silos() => PodTemplates().Where(p => p.IsSilo);

    /// <inheritdoc />
    public override string ToString() => Kustomization;
}

/// <summary>A workload's pod template.</summary>
internal sealed record PodTemplate(JsonObject Owner, JsonObject Template)
{
    /// <summary>"Deployment/silo".</summary>
    public string Name => $"{Owner.Str("kind")}/{Owner.Name()}";

    /// <summary>The owner's namespace.</summary>
    public string? Namespace => Owner.Obj("metadata")?.Str("namespace");

    /// <summary>The pod's labels.</summary>
    public IReadOnlyDictionary<string, string> Labels => Template.Obj("metadata")?.Obj("labels")?.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? "")
                                                          ?? new Dictionary<string, string>();

    /// <summary>The pod spec.</summary>
    public JsonObject Spec => Template.Obj("spec") ?? new JsonObject();

    /// <summary>The regular containers.</summary>
    public IEnumerable<JsonObject> Containers => Spec.Arr("containers").OfType<JsonObject>();

    /// <summary>Init containers and regular containers.</summary>
    public IEnumerable<JsonObject> AllContainers => Spec.Arr("initContainers").OfType<JsonObject>().Concat(Containers);

    /// <summary>Whether this is a SecureCompute silo.</summary>
    public bool IsSilo => Labels.GetValueOrDefault("app.kubernetes.io/name") == "securecompute" && Labels.GetValueOrDefault("app.kubernetes.io/component") == "silo";

    /// <summary>The silo container (named "silo").</summary>
    public JsonObject SiloContainer => Containers.Single(c => c.Str("name") == "silo");

    /// <summary>The volume of this name.</summary>
    public JsonObject? Volume(string name) => Spec.Arr("volumes").OfType<JsonObject>().FirstOrDefault(v => v.Str("name") == name);

    /// <summary>Whether a label selector (matchLabels form or a Service's map) selects this pod.</summary>
    public bool SelectedBy(JsonObject? matchLabels) =>
        matchLabels is not null && matchLabels.All(kv => Labels.TryGetValue(kv.Key, out string? v) && v == kv.Value?.ToString());

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Navigation over parsed manifests.</summary>
internal static class Json
{
    /// <summary>A string property (or a scalar's text), or null.</summary>
    public static string? Str(this JsonObject o, string key) => o[key] is JsonValue v ? v.ToString() : null;

    /// <summary>An object property, or null.</summary>
    public static JsonObject? Obj(this JsonObject o, string key) => o[key] as JsonObject;

    /// <summary>An array property, or an empty one.</summary>
    public static IEnumerable<JsonNode?> Arr(this JsonObject o, string key) => o[key] as JsonArray ?? [];

    /// <summary>metadata.name.</summary>
    public static string? Name(this JsonObject o) => o.Obj("metadata")?.Str("name");

    /// <summary>A boolean property, or null.</summary>
    public static bool? Bool(this JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue(out bool b) ? b : null;
}
