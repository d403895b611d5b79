using System.Text.RegularExpressions;

namespace SecureCompute.Client.Tests;

/// <summary>
/// Finds a data value in text: the distinctive cells of CSV files (decimal cells with at least 4 significant digits),
/// matched as whole numbers in the text, as the silo-log scan of tests/Grains.Tests does.
/// </summary>
/// <remarks>
/// Whole numbers, not substrings: a timestamp such as 09:12:03.4417210 or an accuracy 0.97363796 must not match a cell
/// 3.4417 or 0.9736. Integer cells are left out because hex hashes and base64 signatures are full of digit runs.
/// </remarks>
internal sealed partial class DataValueScan
{
    private readonly HashSet<string> cells;

    private DataValueScan(HashSet<string> cells) => this.cells = cells;

    /// <summary>How many distinctive cells the scan looks for.</summary>
    public int Count => cells.Count;

    /// <summary>The cells themselves, for a positive control.</summary>
    public IReadOnlyCollection<string> Cells => cells;

    /// <summary>The distinctive cells of <paramref name="csvFiles"/> (header row skipped).</summary>
    public static DataValueScan Of(IEnumerable<string> csvFiles)
    {
        var cells = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in csvFiles)
        {
            foreach (string line in File.ReadLines(file).Skip(1))
            {
                cells.UnionWith(line.Split(',').Select(c => c.Trim()).Where(Distinctive));
            }
        }
        return new DataValueScan(cells);
    }

    /// <summary>The first line of <paramref name="lines"/> holding a cell as a whole number, or null.</summary>
    public string? FirstLeak(IEnumerable<string> lines) => lines.FirstOrDefault(l => Number().Matches(l).Any(m => cells.Contains(m.Value) || cells.Contains(m.Value.TrimStart('-'))));

    /// <summary>A decimal cell whose text has at least 4 significant digits (e.g. 0.1184, 122.8; not 0.079 or 1001).</summary>
    internal static bool Distinctive(string cell) =>
        cell.Contains('.') && cell.All(c => char.IsAsciiDigit(c) || c is '.' or '-') && cell.Where(char.IsAsciiDigit).SkipWhile(c => c == '0').Count() >= 4;

    [GeneratedRegex(@"-?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex Number();
}
