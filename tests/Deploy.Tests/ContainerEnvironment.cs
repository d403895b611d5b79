using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using SecureCompute.Silo.Options;

namespace SecureCompute.Deploy.Tests;

/// <summary>
/// A container's environment as the kubelet builds it: entries in order, <c>$(NAME)</c> expanded from entries defined
/// above (an undefined name stays as written, as Kubernetes does), values from the downward API and Secrets replaced
/// by stand-ins.
/// </summary>
internal sealed partial class ContainerEnvironment
{
    /// <summary>The stand-in for the pod's IP (a documentation address).</summary>
    public const string PodIp = "192.0.2.1";

    private ContainerEnvironment(IReadOnlyList<(string Name, string Value, JsonObject Entry)> entries, IReadOnlyList<string> problems)
    {
        Entries = entries;
        Problems = problems;
    }

    /// <summary>Name, expanded value and the manifest entry, in order.</summary>
    public IReadOnlyList<(string Name, string Value, JsonObject Entry)> Entries { get; }

    /// <summary>References to names not defined above them, and names defined twice.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>$(NAME) references.</summary>
    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    public static partial Regex Reference();

    /// <summary>Builds the environment of <paramref name="container"/> in a pod of <paramref name="namespace"/>.</summary>
    public static ContainerEnvironment Of(JsonObject container, string? @namespace)
    {
        var values = new Dictionary<string, string>();
        var entries = new List<(string, string, JsonObject)>();
        var problems = new List<string>();
        foreach (JsonObject entry in container.Arr("env").OfType<JsonObject>())
        {
            string name = entry.Str("name") ?? "";
            string value;
            if (entry.Obj("valueFrom") is { } from)
            {
                value = from.Obj("fieldRef")?.Str("fieldPath") switch
                {
                    "metadata.name" => "silo-7d9f8b6c5-x2x4z",
                    "metadata.namespace" => @namespace ?? "default",
                    "status.podIP" => PodIp,
                    { } other => $"<{other}>",
                    null => "<secret>",
                };
            }
            else
            {
                value = Reference().Replace(entry.Str("value") ?? "", m =>
                {
                    if (values.TryGetValue(m.Groups[1].Value, out string? defined))
                    {
                        return defined;
                    }
                    problems.Add($"{name} refers to $({m.Groups[1].Value}), which is not defined above it: Kubernetes leaves the text as it is");
                    return m.Value;
                });
            }
            if (!values.TryAdd(name, value))
            {
                problems.Add($"{name} is defined twice");
            }
            entries.Add((name, value, entry));
        }
        return new ContainerEnvironment(entries, problems);
    }

    /// <summary>The value of a variable, or null.</summary>
    public string? this[string name] => Entries.Where(e => e.Name == name).Select(e => e.Value).FirstOrDefault();

    /// <summary>Whether another entry's value refers to <paramref name="name"/> (a helper variable).</summary>
    public bool IsReferenced(string name) =>
        Entries.Any(e => e.Entry.Str("value") is { } raw && Reference().Matches(raw).Any(m => m.Groups[1].Value == name));

    /// <summary>
    /// The silo's settings from the <c>SecureCompute__</c> variables, bound as the silo binds them (a value of the wrong
    /// type throws; so does an unknown key if <paramref name="strict"/>, which the silo itself would ignore).
    /// </summary>
    public SiloHostOptions BindSiloOptions(bool strict = false)
    {
        var data = Entries.Where(e => e.Name.StartsWith(SiloHostOptions.Section + "__", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(e => e.Name.Replace("__", ":"), e => (string?)e.Value, StringComparer.OrdinalIgnoreCase);
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(data).Build();
        return configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>(o => o.ErrorOnUnknownConfiguration = strict) ?? new SiloHostOptions();
    }
}

/// <summary>The settings a silo reads: property paths of <see cref="SiloHostOptions"/>, as configuration binding sees them.</summary>
internal static class SiloSettings
{
    /// <summary>Every bindable leaf path, e.g. "Ports:AdvertisedHost" (case as declared).</summary>
    public static IReadOnlyList<string> Paths { get; } = Leaves(typeof(SiloHostOptions), "").ToList();

    /// <summary>
    /// Whether <paramref name="variable"/> (SecureCompute__A__B) names a leaf setting; matched case-insensitively, as
    /// .NET configuration binding matches keys.
    /// </summary>
    public static bool Exists(string variable)
    {
        string prefix = SiloHostOptions.Section + "__";
        if (!variable.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        string path = variable[prefix.Length..].Replace("__", ":");
        return Paths.Contains(path, StringComparer.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> Leaves(Type type, string prefix)
    {
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            string path = prefix + property.Name;
            Type t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            bool leaf = t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(TimeSpan) || t == typeof(decimal) || t == typeof(Uri);
            if (leaf)
            {
                if (property.SetMethod is { IsPublic: true })
                {
                    yield return path;
                }
            }
            else if (t.IsClass && property.GetMethod is { IsPublic: true } && !typeof(System.Collections.IEnumerable).IsAssignableFrom(t))
            {
                foreach (string nested in Leaves(t, path + ":"))
                {
                    yield return nested;
                }
            }
        }
    }
}
