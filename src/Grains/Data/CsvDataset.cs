using System.Globalization;

namespace SecureCompute.Grains.Data;

/// <summary>
/// Reads a party's CSV file: a header row of column names, then numeric rows; the label column is chosen by name
/// (the last column when none is given). Every problem is a <see cref="DatasetException"/> naming file, row and column.
/// </summary>
public static class CsvDataset
{
    /// <summary>Loads <paramref name="path"/>; <paramref name="label"/> names the label column (default: the last).</summary>
    public static PartyDataset Load(string path, string? label = null)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new DatasetException(path, $"cannot be read ({ex.GetType().Name}: {ex.Message})", inner: ex);
        }
        if (lines.Length == 0 || lines[0].Trim().Length == 0)
        {
            throw new DatasetException(path, "is empty: expected a header row of column names", 1);
        }
        string[] header = Split(lines[0]);
        CheckHeader(path, header);
        int labelIndex = label is null ? header.Length - 1 : Array.IndexOf(header, label);
        if (labelIndex < 0)
        {
            throw new DatasetException(path, $"has no label column '{label}' (columns: {string.Join(", ", header)})", 1);
        }
        if (header.Length < 2)
        {
            throw new DatasetException(path, "needs at least one feature column besides the label", 1);
        }
        var features = new List<double>();
        var labels = new List<double>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }
            string[] cells = Split(lines[i]);
            if (cells.Length != header.Length)
            {
                throw new DatasetException(path, $"has {cells.Length} cells where the header has {header.Length}", i + 1);
            }
            for (int c = 0; c < cells.Length; c++)
            {
                double value = Parse(path, cells[c], i + 1, header[c]);
                if (c == labelIndex)
                {
                    labels.Add(value);
                }
                else
                {
                    features.Add(value);
                }
            }
        }
        if (labels.Count == 0)
        {
            throw new DatasetException(path, "has a header but no data rows", 2);
        }
        string[] featureNames = header.Where((_, c) => c != labelIndex).ToArray();
        return new PartyDataset(path, featureNames, header[labelIndex], features.ToArray(), labels.ToArray());
    }

    private static void CheckHeader(string path, string[] header)
    {
        for (int c = 0; c < header.Length; c++)
        {
            if (header[c].Length == 0)
            {
                throw new DatasetException(path, $"column {c + 1} of the header has no name", 1);
            }
            if (Array.IndexOf(header, header[c]) != c)
            {
                throw new DatasetException(path, "the column name appears twice in the header", 1, header[c]);
            }
        }
    }

    private static double Parse(string path, string cell, int row, string column)
    {
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            // The cell's content is data: the message says where, not what.
            throw new DatasetException(path, cell.Length == 0 ? "the cell is empty" : "the cell is not a number", row, column);
        }
        if (!double.IsFinite(value))
        {
            throw new DatasetException(path, "the cell is NaN or infinite", row, column);
        }
        return value;
    }

    private static string[] Split(string line) => line.Split(',').Select(c => c.Trim().Trim('"').Trim()).ToArray();
}
