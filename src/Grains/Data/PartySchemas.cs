namespace SecureCompute.Grains.Data;

/// <summary>Checks that every party's file has the same columns, by name and order (horizontal partitioning).</summary>
public static class PartySchemas
{
    /// <summary>Throws a <see cref="DatasetException"/> naming both files and the first differing column, or the counts.</summary>
    public static void RequireSame(IReadOnlyList<PartyDataset> parties)
    {
        if (parties.Count < 2)
        {
            throw new ArgumentException($"Joint training needs at least 2 parties, not {parties.Count}.", nameof(parties));
        }
        PartyDataset first = parties[0];
        foreach (PartyDataset other in parties.Skip(1))
        {
            if (other.LabelName != first.LabelName)
            {
                throw new DatasetException(other.Source, $"its label column '{other.LabelName}' differs from '{first.LabelName}' in {first.Source}", 1, other.LabelName);
            }
            int common = Math.Min(first.Columns, other.Columns);
            for (int c = 0; c < common; c++)
            {
                if (first.FeatureNames[c] != other.FeatureNames[c])
                {
                    throw new DatasetException(other.Source,
                        $"feature {c + 1} is '{other.FeatureNames[c]}' where {first.Source} has '{first.FeatureNames[c]}'", 1, other.FeatureNames[c]);
                }
            }
            if (first.Columns != other.Columns)
            {
                throw new DatasetException(other.Source, $"has {other.Columns} features where {first.Source} has {first.Columns}", 1);
            }
        }
    }
}
