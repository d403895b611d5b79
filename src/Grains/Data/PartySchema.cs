namespace SecureCompute.Grains.Data;

/// <summary>
/// The public facts about one party's rows — where they come from, how many, which columns — that every party and
/// the coordinator know. No value of any row.
/// </summary>
/// <param name="Party">The party's id.</param>
/// <param name="Source">The file's name (without its directory), for errors.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="FeatureNames">Feature columns, in file order.</param>
/// <param name="LabelName">The label column.</param>
public sealed record PartySchema(string Party, string Source, int Rows, IReadOnlyList<string> FeatureNames, string LabelName)
{
    /// <summary>Number of features.</summary>
    public int Columns => FeatureNames.Count;

    /// <summary>The schema of a dataset held by <paramref name="party"/>.</summary>
    public static PartySchema Of(string party, PartyDataset data) =>
        new(party, Path.GetFileName(data.Source), data.Rows, data.FeatureNames, data.LabelName);
}
