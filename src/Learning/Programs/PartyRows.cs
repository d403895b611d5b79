namespace SecureCompute.Learning.Programs;

/// <summary>One party's rows as a program reads them: row-major features and one label per row.</summary>
/// <param name="Party">The party's name, for errors.</param>
/// <param name="Features">Row-major, <paramref name="Columns"/> per row.</param>
/// <param name="Labels">One per row.</param>
/// <param name="Columns">Features per row.</param>
public sealed record PartyRows(string Party, double[] Features, double[] Labels, int Columns)
{
    /// <summary>Rows.</summary>
    public int Rows => Labels.Length;

    /// <summary>The rows at <paramref name="indices"/>.</summary>
    public PartyRows Select(int[] indices)
    {
        var features = new double[indices.Length * Columns];
        for (int i = 0; i < indices.Length; i++)
        {
            Array.Copy(Features, indices[i] * Columns, features, i * Columns, Columns);
        }
        return this with { Features = features, Labels = indices.Select(i => Labels[i]).ToArray() };
    }
}
