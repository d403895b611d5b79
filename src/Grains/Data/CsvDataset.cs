using System.Globalization;
using nietras.SeparatedValues;

namespace SecureCompute.Grains.Data;

/// <summary>
/// Reads a party's CSV file: a header row of column names, then numeric rows; the label column is chosen by name
/// (the last column when none is given). Every problem is a <see cref="DatasetException"/> naming file, row and column.
/// </summary>
/// <remarks>
/// Parsing follows RFC 4180 (Sep): a quoted cell may hold commas, doubled quotes and line breaks. A row's number is
/// the file's line number where the row starts, so an error points at the line an editor shows.
/// </remarks>
public static class CsvDataset
{
    /// <summary>Loads <paramref name="path"/>; <paramref name="label"/> names the label column (default: the last).</summary>
    public static PartyDataset Load(string path, string? label = null)
    {
        try
        {
            using SepReader reader = Open(path);
            return Read(path, reader, label);
        }
        catch (IOException ex)
        {
            throw new DatasetException(path, $"cannot be read ({ex.GetType().Name}: {ex.Message})", inner: ex);
        }
    }

    private static SepReader Open(string path)
    {
        try
        {
            // The header is read as a plain row: Sep's own header handling would reject duplicate names without
            // saying where, and the column count is checked here so the error names the row.
            return Sep.New(',').Reader(o => o with
            {
                HasHeader = false,
                DisableColCountCheck = true,
                Unescape = true,
                Trim = SepTrim.All,
                CultureInfo = CultureInfo.InvariantCulture,
            }).FromFile(path);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new DatasetException(path, $"cannot be read ({ex.GetType().Name}: {ex.Message})", inner: ex);
        }
    }

    private static PartyDataset Read(string path, SepReader reader, string? label)
    {
        if (!reader.MoveNext() || IsBlank(reader.Current))
        {
            throw new DatasetException(path, "is empty: expected a header row of column names", 1);
        }
        string[] header = ReadHeader(path, reader.Current);
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
        var lines = new List<int>();
        while (reader.MoveNext())
        {
            SepReader.Row row = reader.Current;
            if (IsBlank(row))
            {
                continue;
            }
            int line = row.LineNumberFrom;
            lines.Add(line);
            if (row.ColCount != header.Length)
            {
                throw new DatasetException(path, $"has {row.ColCount} cells where the header has {header.Length}", line);
            }
            for (int c = 0; c < row.ColCount; c++)
            {
                double value = Parse(path, row[c].Span, line, header[c]);
                (c == labelIndex ? labels : features).Add(value);
            }
        }
        if (labels.Count == 0)
        {
            throw new DatasetException(path, "has a header but no data rows", 2);
        }
        string[] featureNames = header.Where((_, c) => c != labelIndex).ToArray();
        return new PartyDataset(path, featureNames, header[labelIndex], features.ToArray(), labels.ToArray(), lines.ToArray());
    }

    private static string[] ReadHeader(string path, SepReader.Row row)
    {
        var header = new string[row.ColCount];
        for (int c = 0; c < header.Length; c++)
        {
            header[c] = row[c].Span.Trim().ToString();
            if (header[c].Length == 0)
            {
                throw new DatasetException(path, $"column {c + 1} of the header has no name", 1);
            }
            if (Array.IndexOf(header, header[c]) != c)
            {
                throw new DatasetException(path, "the column name appears twice in the header", 1, header[c]);
            }
        }
        return header;
    }

    private static bool IsBlank(SepReader.Row row) => row.ColCount == 1 && row[0].Span.Trim().IsEmpty;

    private static double Parse(string path, ReadOnlySpan<char> cell, int row, string column)
    {
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            // The cell's content is data: the message says where, not what.
            string problem = cell.Trim().IsEmpty ? "the cell is empty"
                : cell.ContainsAny('\r', '\n') ? "the cell is not a number (it spans lines: is a quote unmatched?)"
                : "the cell is not a number";
            throw new DatasetException(path, problem, row, column);
        }
        if (!double.IsFinite(value))
        {
            throw new DatasetException(path, "the cell is NaN or infinite", row, column);
        }
        return value;
    }
}
