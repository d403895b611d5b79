using System.Globalization;
using nietras.SeparatedValues;
using SecureCompute.Grains.Data;

namespace SecureCompute.Client.Privacy;

/// <summary>
/// Public per-feature bounds, as a data owner declares them (a CSV <c>feature,lower,upper</c>, one row per feature):
/// the DP programs clamp each feature to its bounds and scale by them instead of by the data's statistics.
/// </summary>
internal static class FeatureBounds
{
    /// <summary>Where the bounds of the data folder <paramref name="data"/> are by default: <c>bounds/NAME.csv</c> beside it.</summary>
    public static string DefaultPath(DirectoryInfo data) => Path.Combine(data.Parent?.FullName ?? data.FullName, "bounds", data.Name + ".csv");

    /// <summary>
    /// The bounds from <paramref name="file"/>, or from <see cref="DefaultPath"/>; a missing file is a
    /// <see cref="DatasetException"/> that says why bounds are needed.
    /// </summary>
    public static (double[] Lower, double[] Upper, string Path) Find(FileInfo? file, DirectoryInfo data, IReadOnlyList<string> features)
    {
        string path = file?.FullName ?? DefaultPath(data);
        if (!File.Exists(path))
        {
            throw new DatasetException(path, "does not exist: no public bounds. A DP program scales features by bounds the data owners declare, never by the data (docs/privacy.md); give --bounds FILE");
        }
        var (lower, upper) = Load(path, features);
        return (lower, upper, path);
    }

    /// <summary>The bounds of <paramref name="features"/>, in that order, from <paramref name="path"/>; every problem names the file and row.</summary>
    public static (double[] Lower, double[] Upper) Load(string path, IReadOnlyList<string> features)
    {
        var byName = new Dictionary<string, (double Lower, double Upper)>(StringComparer.Ordinal);
        try
        {
            using var reader = Sep.Reader().FromFile(path);
            foreach (string column in new[] { "feature", "lower", "upper" })
            {
                if (!reader.Header.ColNames.Contains(column))
                {
                    throw new DatasetException(path, $"the bounds file needs the columns feature, lower and upper (no '{column}')");
                }
            }
            int line = 1;
            foreach (var row in reader)
            {
                line++;
                string name = row["feature"].ToString().Trim();
                if (!double.TryParse(row["lower"].Span, NumberStyles.Float, CultureInfo.InvariantCulture, out double lower)
                    || !double.TryParse(row["upper"].Span, NumberStyles.Float, CultureInfo.InvariantCulture, out double upper)
                    || !double.IsFinite(lower) || !double.IsFinite(upper) || lower >= upper)
                {
                    throw new DatasetException(path, $"row {line - 1}: feature '{name}' needs finite numeric bounds with lower < upper", line);
                }
                if (!byName.TryAdd(name, (lower, upper)))
                {
                    throw new DatasetException(path, $"row {line - 1}: feature '{name}' is bounded twice", line);
                }
            }
        }
        catch (IOException e)
        {
            throw new DatasetException(path, $"cannot be read ({e.GetType().Name})");
        }
        var missing = features.Where(f => !byName.ContainsKey(f)).ToList();
        if (missing.Count > 0)
        {
            throw new DatasetException(path, $"declares no bounds for {missing.Count} feature(s): {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")}");
        }
        var unknown = byName.Keys.Where(k => !features.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new DatasetException(path, $"bounds feature(s) the data does not have: {string.Join(", ", unknown.Take(5))}");
        }
        return (features.Select(f => byName[f].Lower).ToArray(), features.Select(f => byName[f].Upper).ToArray());
    }
}
