using System.Text.Json;
using SecureCompute.Client.Output;

namespace SecureCompute.Client.Bench;

/// <summary>What every benchmark command shares: medians, the JSON file, the check of its folder.</summary>
internal static class BenchOutput
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>The median of <paramref name="values"/> (sorted in place).</summary>
    public static double Median(List<double> values)
    {
        values.Sort();
        int mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /// <summary>A problem with the <c>--json</c> target, or null when it can be written.</summary>
    public static string? CheckTarget(FileInfo? target) =>
        target is not null && !(target.Directory?.Exists ?? false) ? $"--json: the folder {target.DirectoryName} does not exist." : null;

    /// <summary>Writes <paramref name="result"/> as camelCase JSON through a temporary file, so no half-written file is left.</summary>
    public static void WriteJson<T>(T result, FileInfo? target)
    {
        if (target is null)
        {
            return;
        }
        AtomicFile.WriteAllText(target.FullName, JsonSerializer.Serialize(result, Json));
        Console.WriteLine($"wrote {target.FullName}");
    }
}
