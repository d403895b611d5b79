using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Audit;

/// <summary>Builds and checks an <see cref="AuditRecord"/>'s fields.</summary>
public static class AuditFields
{
    /// <summary>The most fields a record may carry.</summary>
    public const int MaxFields = 16;

    /// <summary>The longest field name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The longest field value.</summary>
    public const int MaxValueLength = 256;

    /// <summary>The fields (name, value), in the order given.</summary>
    public static KeyValuePair<string, string>[] Of(params (string Name, string Value)[] fields) =>
        fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToArray();

    /// <summary>What is wrong with <paramref name="record"/> (naming the field by position and name, never its value), or null.</summary>
    public static string? Problem(AuditRecord? record)
    {
        if (record is null)
        {
            return "the record is null";
        }
        if (!Enum.IsDefined(record.Kind))
        {
            return "the record's kind is not a known event";
        }
        if (record.Fields is null)
        {
            return "the record's fields are null";
        }
        if (record.Fields.Length > MaxFields)
        {
            return $"the record has {record.Fields.Length} fields; at most {MaxFields} are allowed";
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < record.Fields.Length; i++)
        {
            (string? name, string? value) = (record.Fields[i].Key, record.Fields[i].Value);
            if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
            {
                return $"field {i} has a null, empty or longer than {MaxNameLength}-character name";
            }
            if (!seen.Add(name))
            {
                return $"field '{name}' is named twice";
            }
            if (value is null)
            {
                return $"field '{name}' has a null value";
            }
            if (value.Length > MaxValueLength)
            {
                return $"field '{name}' is longer than {MaxValueLength} characters";
            }
        }
        return null;
    }
}
