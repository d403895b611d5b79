using SecureCompute.Grains.Data;

namespace SecureCompute.Grains.Tests;

/// <summary>The data sets the repository ships, found from the test's output folder.</summary>
internal static class RepositoryData
{
    public static IReadOnlyList<PartyDataset> Load(string folder, string label)
    {
        string directory = Path.Combine(Root(), "data", folder);
        return Directory.GetFiles(directory, "*.csv").Order(StringComparer.Ordinal).Select(f => CsvDataset.Load(f, label)).ToArray();
    }

    /// <summary>The path of <paramref name="name"/>.csv in data/<paramref name="folder"/>.</summary>
    public static string File(string folder, string name) => Path.Combine(Root(), "data", folder, name + ".csv");

    /// <summary>data/bounds/<paramref name="name"/>.csv (the shipped public bounds), in its feature order.</summary>
    public static (string Feature, double Lower, double Upper)[] Bounds(string name) =>
        System.IO.File.ReadLines(Path.Combine(Root(), "data", "bounds", name + ".csv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(r => (r[0], double.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture), double.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "SecureCompute.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (SecureCompute.sln) is not above the test output folder.");
    }
}
