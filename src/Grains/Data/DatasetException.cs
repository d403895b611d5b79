namespace SecureCompute.Grains.Data;

/// <summary>A party's data file cannot be used: the message names the file, row and column, never a cell's value.</summary>
public sealed class DatasetException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> (row and column when known; rows count from 1, the header is row 1).</summary>
    public DatasetException(string file, string problem, int? row = null, string? column = null, Exception? inner = null)
        : base(Describe(file, problem, row, column), inner)
    {
        File = file;
        Row = row;
        Column = column;
    }

    /// <summary>The file at fault.</summary>
    public string File { get; }

    /// <summary>The row at fault (1 = header), if any.</summary>
    public int? Row { get; }

    /// <summary>The column at fault, if any.</summary>
    public string? Column { get; }

    private static string Describe(string file, string problem, int? row, string? column)
    {
        string where = row is null ? file : column is null ? $"{file}, row {row}" : $"{file}, row {row}, column '{column}'";
        return $"{where}: {problem}";
    }
}
