using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SecureCompute.Deploy.Tests;

/// <summary>
/// Finds every way a manifest could turn reproducible seeds on: the silo's bare flag in an argument or a shell line,
/// the setting <c>SecureCompute:Governance:AllowReproducibleSeeds</c> as an env entry, a map key (ConfigMap data,
/// appsettings), a <c>KEY=value</c> literal or a <c>--KEY value</c> argument pair, with any value but false.
/// </summary>
internal static partial class ReproducibleSeedScan
{
    /// <summary>The silo's command-line flag.</summary>
    public const string Flag = "--allow-reproducible-seeds";

    /// <summary>The setting's last segment.</summary>
    private const string Setting = "AllowReproducibleSeeds";

    /// <summary>The setting given a value inside a text: <c>…AllowReproducibleSeeds=true</c>, <c>…AllowReproducibleSeeds: "1"</c>.</summary>
    [GeneratedRegex(@"AllowReproducibleSeeds""?\s*[=:]\s*""?([^\s"",;}]*)", RegexOptions.IgnoreCase)]
    private static partial Regex Assigned();

    /// <summary>What in <paramref name="node"/> allows reproducible seeds, each problem prefixed with <paramref name="where"/>.</summary>
    public static IEnumerable<string> Problems(JsonNode? node, string where)
    {
        var problems = new List<string>();
        Walk(node, where, "", problems);
        return problems;
    }

    /// <summary>What in one line of text (a Dockerfile's, a script's) allows reproducible seeds.</summary>
    public static IEnumerable<string> TextProblems(string line, string where)
    {
        if (line.Contains(Flag, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{where}: passes {Flag}";
        }
        foreach (Match m in Assigned().Matches(line))
        {
            if (!IsFalse(m.Groups[1].Value))
            {
                yield return $"{where}: sets {Setting} to '{m.Groups[1].Value}'";
            }
        }
    }

    private static void Walk(JsonNode? node, string where, string path, List<string> problems)
    {
        switch (node)
        {
            case JsonObject map:
                if (map["name"] is JsonValue name && NamesSetting(name.ToString()) && !IsFalse(map["value"]))
                {
                    problems.Add($"{where}{path}: {name} is {Describe(map["value"] ?? map["valueFrom"])}, not false");
                }
                foreach (var (key, value) in map)
                {
                    if (NamesSetting(key) && !IsFalse(value))
                    {
                        problems.Add($"{where}{path}/{key}: is {Describe(value)}, not false");
                    }
                    Walk(value, where, $"{path}/{key}", problems);
                }
                break;
            case JsonArray list:
                for (int i = 0; i < list.Count; i++)
                {
                    // "--SecureCompute:Governance:AllowReproducibleSeeds" "true" as two arguments.
                    if (list[i] is JsonValue v && v.ToString() is { } text && (text.StartsWith('-') || text.StartsWith('/')) && NamesSetting(text.TrimStart('-', '/'))
                        && !(i + 1 < list.Count && IsFalse(list[i + 1])))
                    {
                        problems.Add($"{where}{path}/{i}: {text} followed by {(i + 1 < list.Count ? Describe(list[i + 1]) : "nothing")}, not false");
                    }
                    Walk(list[i], where, $"{path}/{i}", problems);
                }
                break;
            case JsonValue scalar when scalar.GetValueKind() == System.Text.Json.JsonValueKind.String:
                problems.AddRange(TextProblems(scalar.ToString(), $"{where}{path}"));
                break;
        }
    }

    /// <summary>Whether a key or variable name is the setting (SecureCompute__Governance__AllowReproducibleSeeds, …:…, or the bare key).</summary>
    private static bool NamesSetting(string name) =>
        name.Replace("__", ":").Split(':').LastOrDefault()?.Equals(Setting, StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsFalse(JsonNode? value) => value is JsonValue v && (v.TryGetValue(out bool b) ? !b : IsFalse(v.ToString()));

    private static bool IsFalse(string text) => text.Trim().Equals("false", StringComparison.OrdinalIgnoreCase);

    private static string Describe(JsonNode? value) => value is null ? "not given" : $"'{value.ToJsonString()}'";
}
