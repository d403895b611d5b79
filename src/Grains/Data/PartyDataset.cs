namespace SecureCompute.Grains.Data;

/// <summary>One party's rows: the feature matrix and the label, read from its own CSV file. Never leaves its silo.</summary>
/// <param name="Source">The file the rows came from (for errors).</param>
/// <param name="FeatureNames">Feature columns, in file order (the label column removed).</param>
/// <param name="LabelName">The label column.</param>
/// <param name="Features">Row-major features, <see cref="Rows"/> × FeatureNames.Count.</param>
/// <param name="Labels">One label per row.</param>
public sealed record PartyDataset(string Source, IReadOnlyList<string> FeatureNames, string LabelName, double[] Features, double[] Labels)
{
    /// <summary>Number of rows.</summary>
    public int Rows => Labels.Length;

    /// <summary>Number of features.</summary>
    public int Columns => FeatureNames.Count;

    /// <summary>Describes the dataset by its public metadata only.</summary>
    public override string ToString() => $"PartyDataset({Path.GetFileName(Source)}: {Rows} rows, {Columns} features, label '{LabelName}')";
}
