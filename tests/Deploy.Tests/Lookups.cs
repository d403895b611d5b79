using System.Text.Json.Nodes;

namespace SecureCompute.Deploy.Tests;

/// <summary>Where a container's file comes from.</summary>
internal static class Mounts
{
    /// <summary>
    /// Null if a volume is mounted in <paramref name="container"/> at or above <paramref name="path"/> (the deepest
    /// such mount wins): the <paramref name="mount"/>, its <paramref name="volume"/> and the path inside it
    /// (<paramref name="relative"/>); else what is wrong.
    /// </summary>
    public static string? Locate(PodTemplate pod, JsonObject container, string path, out JsonObject volume, out string relative, out JsonObject mount)
    {
        volume = new JsonObject();
        relative = "";
        mount = new JsonObject();
        if (string.IsNullOrEmpty(path))
        {
            return "empty";
        }
        var found = container.Arr("volumeMounts").OfType<JsonObject>()
            .Where(m => m.Str("mountPath") is { } at && (path == at || path.StartsWith(at.TrimEnd('/') + "/", StringComparison.Ordinal)))
            .MaxBy(m => m.Str("mountPath")!.Length);
        if (found is null)
        {
            return "no volume is mounted at or above it";
        }
        mount = found;
        string at = mount.Str("mountPath")!.TrimEnd('/');
        relative = path == at ? mount.Str("subPath") ?? "" : path[(at.Length + 1)..];
        if (mount.Str("subPath") is { } sub && path != at)
        {
            relative = sub + "/" + relative;
        }
        string volumeName = mount.Str("name") ?? "";
        if (pod.Volume(volumeName) is not { } defined)
        {
            return $"the mount names volume '{volumeName}', which the pod does not define";
        }
        volume = defined;
        return null;
    }

    /// <summary>
    /// Null if <paramref name="path"/> is provided by a volume mounted in <paramref name="container"/> — a key of an
    /// existing Secret or ConfigMap, or (if allowed) a PersistentVolumeClaim that exists — else what is wrong.
    /// </summary>
    public static string? Provides(Rendering rendering, PodTemplate pod, JsonObject container, string path, bool allowPersistentVolume)
    {
        if (Locate(pod, container, path, out JsonObject volume, out string relative, out _) is { } problem)
        {
            return problem;
        }
        string volumeName = volume.Str("name") ?? "";
        if (volume.Obj("secret") is { } secret)
        {
            return Key(rendering, "Secret", secret.Str("secretName"), secret, relative);
        }
        if (volume.Obj("configMap") is { } configMap)
        {
            return Key(rendering, "ConfigMap", configMap.Str("name"), configMap, relative);
        }
        if (volume.Obj("persistentVolumeClaim") is { } claim)
        {
            if (!allowPersistentVolume)
            {
                return $"volume '{volumeName}' is a PersistentVolumeClaim: nothing puts this file there";
            }
            return rendering.Find("PersistentVolumeClaim", claim.Str("claimName") ?? "") is null
                ? $"PersistentVolumeClaim '{claim.Str("claimName")}' is not in the rendering"
                : null;
        }
        return $"volume '{volumeName}' is neither a Secret, a ConfigMap nor a claim: the file would not be there";
    }

    /// <summary>
    /// The text of <paramref name="path"/> when a ConfigMap of the rendering, mounted read-only in
    /// <paramref name="container"/>, provides it; else null, with what is wrong in <paramref name="problem"/>.
    /// </summary>
    public static string? ConfigMapText(Rendering rendering, PodTemplate pod, JsonObject container, string path, out string problem)
    {
        problem = Locate(pod, container, path, out JsonObject volume, out string relative, out JsonObject mount) ?? "";
        if (problem.Length > 0)
        {
            return null;
        }
        if (volume.Obj("configMap") is not { } source)
        {
            problem = $"volume '{volume.Str("name")}' is not a ConfigMap";
            return null;
        }
        if (mount.Bool("readOnly") != true)
        {
            problem = $"volume '{volume.Str("name")}' is not mounted read-only";
            return null;
        }
        if (Key(rendering, "ConfigMap", source.Str("name"), source, relative) is { } missing)
        {
            problem = missing;
            return null;
        }
        string key = source.Arr("items").OfType<JsonObject>().FirstOrDefault(i => i.Str("path") == relative)?.Str("key") ?? relative;
        string? text = rendering.Find("ConfigMap", source.Str("name")!)!.Obj("data")?.Str(key);
        if (text is null)
        {
            problem = $"ConfigMap '{source.Str("name")}' holds '{key}' as binary data, not text";
        }
        return text;
    }

    private static string? Key(Rendering rendering, string kind, string? name, JsonObject source, string relative)
    {
        JsonObject? obj = rendering.Find(kind, name ?? "");
        if (obj is null)
        {
            return $"{kind} '{name}' is not in the rendering";
        }
        string key = relative;
        var items = source.Arr("items").OfType<JsonObject>().ToList();
        if (items.Count > 0)
        {
            JsonObject? item = items.FirstOrDefault(i => i.Str("path") == relative);
            if (item is null)
            {
                return $"{kind} '{name}' is mounted with items, none of which is '{relative}'";
            }
            key = item.Str("key") ?? "";
        }
        bool has = new[] { "data", "stringData", "binaryData" }.Any(d => obj.Obj(d)?.ContainsKey(key) == true);
        return has ? null : $"{kind} '{name}' has no key '{key}' (it has: {string.Join(", ", new[] { "data", "stringData", "binaryData" }.SelectMany(d => obj.Obj(d)?.Select(kv => kv.Key) ?? []))})";
    }
}

/// <summary>Services, their selectors and ports.</summary>
internal static class Services
{
    /// <summary>The Services whose selector selects <paramref name="pod"/>.</summary>
    public static IEnumerable<JsonObject> Selecting(Rendering rendering, PodTemplate pod) =>
        rendering.OfKind("Service").Where(s => s.Obj("spec")?.Obj("selector") is { Count: > 0 } selector && pod.SelectedBy(selector));

    /// <summary>
    /// An in-cluster "host:port" (a host without a dot) must be a Service of the rendering with that port; an
    /// external name is the operator's. Returns the problems.
    /// </summary>
    public static IEnumerable<string> CheckAddress(Rendering rendering, string address, string what)
    {
        string[] parts = address.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[1], out int port))
        {
            yield return $"{what}: '{address}' is not host:port";
            yield break;
        }
        if (parts[0].Contains('.'))
        {
            yield break;
        }
        JsonObject? service = rendering.Find("Service", parts[0]);
        if (service is null)
        {
            yield return $"{what}: '{address}' names Service '{parts[0]}', which is not in {rendering}";
        }
        else if (!service.Obj("spec")!.Arr("ports").OfType<JsonObject>().Any(p => p["port"]?.GetValue<long>() == port))
        {
            yield return $"{what}: Service '{parts[0]}' has no port {port}";
        }
    }

    /// <summary>The container port a Service's or probe's port reference means (a name or a number), or null.</summary>
    public static JsonObject? ContainerPort(PodTemplate pod, JsonNode? reference)
    {
        var ports = pod.AllContainers.SelectMany(c => c.Arr("ports").OfType<JsonObject>());
        return reference is JsonValue v && v.TryGetValue(out long number)
            ? ports.FirstOrDefault(p => p["containerPort"]?.GetValue<long>() == number)
            : ports.FirstOrDefault(p => p.Str("name") == reference?.ToString());
    }
}

/// <summary>Role-based access in a rendering.</summary>
internal static class Rbac
{
    /// <summary>Whether some Role bound to the service account allows every verb on the resource (core group).</summary>
    public static bool Grants(Rendering rendering, string account, string resource, params string[] verbs)
    {
        var roles = rendering.OfKind("RoleBinding")
            .Where(b => b.Arr("subjects").OfType<JsonObject>().Any(s => s.Str("kind") == "ServiceAccount" && s.Str("name") == account))
            .Select(b => b.Obj("roleRef"))
            .Where(r => r?.Str("kind") == "Role")
            .Select(r => rendering.Find("Role", r!.Str("name") ?? ""))
            .OfType<JsonObject>();
        var allowed = roles.SelectMany(r => r.Arr("rules").OfType<JsonObject>())
            .Where(rule => rule.Arr("apiGroups").Any(g => g?.ToString() == "") && rule.Arr("resources").Any(x => x?.ToString() == resource))
            .SelectMany(rule => rule.Arr("verbs").Select(v => v?.ToString()))
            .ToHashSet();
        return verbs.All(allowed.Contains);
    }
}
