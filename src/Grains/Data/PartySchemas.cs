namespace SecureCompute.Grains.Data;

/// <summary>Checks that every party's file has the same columns, by name and order (horizontal partitioning).</summary>
public static class PartySchemas
{
    /// <summary>Throws a <see cref="DatasetException"/> naming both files and the first differing column, or the counts.</summary>
    public static void RequireSame(IReadOnlyList<PartyDataset> parties) =>
        RequireSame(parties.Select((p, i) => new PartySchema($"party {i}", p.Source, p.Rows, p.FeatureNames, p.LabelName)).ToArray(), withParty: false);

    /// <summary>
    /// Throws a <see cref="DatasetException"/> naming both parties, their files and the first differing column, or the
    /// counts; also refuses a party with no rows.
    /// </summary>
    public static void RequireSame(IReadOnlyList<PartySchema> parties) => RequireSame(parties, withParty: true);

    private static void RequireSame(IReadOnlyList<PartySchema> schemas, bool withParty)
    {
        string Name(PartySchema s) => withParty ? $"{s.Source} (party {s.Party})" : s.Source;
        if (schemas.Count < 2)
        {
            throw new ArgumentException($"Joint training needs at least 2 parties, not {schemas.Count}.", nameof(schemas));
        }
        if (schemas.FirstOrDefault(s => s.Rows == 0) is { } empty)
        {
            throw new DatasetException(Name(empty), "it has no data rows", 2);
        }
        PartySchema first = schemas[0];
        foreach (PartySchema other in schemas.Skip(1))
        {
            if (other.LabelName != first.LabelName)
            {
                throw new DatasetException(Name(other), $"its label column '{other.LabelName}' differs from '{first.LabelName}' in {Name(first)}", 1, other.LabelName);
            }
            int common = Math.Min(first.Columns, other.Columns);
            for (int c = 0; c < common; c++)
            {
                if (first.FeatureNames[c] != other.FeatureNames[c])
                {
                    throw new DatasetException(Name(other),
                        $"feature {c + 1} is '{other.FeatureNames[c]}' where {Name(first)} has '{first.FeatureNames[c]}'", 1, other.FeatureNames[c]);
                }
            }
            if (first.Columns != other.Columns)
            {
                throw new DatasetException(Name(other), $"has {other.Columns} features where {Name(first)} has {first.Columns}", 1);
            }
        }
    }
}
