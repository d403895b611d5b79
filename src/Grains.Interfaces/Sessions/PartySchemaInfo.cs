namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>A party's public facts about its rows: file name, row count, columns. No value of any row.</summary>
/// <param name="Party">The party's id.</param>
/// <param name="Source">The data file's name (no directory).</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="FeatureNames">Feature columns in file order.</param>
/// <param name="LabelName">The label column.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.PartySchemaInfo")]
public sealed record PartySchemaInfo(
    [property: Id(0)] string Party,
    [property: Id(1)] string Source,
    [property: Id(2)] int Rows,
    [property: Id(3)] string[] FeatureNames,
    [property: Id(4)] string LabelName);
