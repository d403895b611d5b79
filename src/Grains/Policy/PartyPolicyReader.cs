using System.Collections.Immutable;
using System.Text.Json;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Training;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Policy;

/// <summary>
/// Reads the policy file's JSON into a <see cref="PartyPolicy"/>, collecting every problem (each naming the file and
/// the JSON path) instead of stopping at the first; absent fields keep the restrictive default.
/// </summary>
internal sealed class PartyPolicyReader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    private readonly string source;
    private readonly string expectedParty;
    private readonly List<string> problems = [];

    private PartyPolicyReader(string source, string expectedParty)
    {
        this.source = source;
        this.expectedParty = expectedParty;
    }

    /// <summary>The policy, or null with every problem.</summary>
    public static (PartyPolicy? Policy, IReadOnlyList<string> Problems) Read(string json, string source, string expectedParty)
    {
        var reader = new PartyPolicyReader(source, expectedParty);
        PartyPolicy? policy = reader.ReadDocument(json);
        return reader.problems.Count == 0 ? (policy, []) : (null, reader.problems);
    }

    private PartyPolicy? ReadDocument(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException error)
        {
            long line = (error.LineNumber ?? 0) + 1;
            long position = (error.BytePositionInLine ?? 0) + 1;
            Problem("$", $"not valid JSON at line {line}, position {position}: {Reason(error)}");
            return null;
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Problem("$", $"must be an object, not {Describe(root.ValueKind)}");
                return null;
            }
            return ReadPolicy(root);
        }
    }

    private PartyPolicy ReadPolicy(JsonElement root)
    {
        Dictionary<string, JsonElement> fields = Properties(root, "$", PolicyJsonNames.All);
        string party = ReadParty(fields);
        PartyPolicy policy = PartyPolicy.RestrictiveDefault(party);
        foreach ((string name, JsonElement value) in fields)
        {
            string path = $"$.{name}";
            policy = name switch
            {
                PolicyJsonNames.Starters => Patterns(value, path, PatternPlaces.Starter) is { } p ? policy with { Starters = p } : policy,
                PolicyJsonNames.Peers => Patterns(value, path, PatternPlaces.Peer) is { } p ? policy with { Peers = p } : policy,
                PolicyJsonNames.Models => Models(value, path) is { } m ? policy with { Models = m } : policy,
                PolicyJsonNames.Modes => Modes(value, path) is { } m ? policy with { Modes = m } : policy,
                PolicyJsonNames.Labels => Columns(value, path) is { } c ? policy with { Labels = c } : policy,
                PolicyJsonNames.Features => Columns(value, path) is { } c ? policy with { Features = c } : policy,
                PolicyJsonNames.MinBatchSize => Integer(value, path, 1, int.MaxValue) is { } n ? policy with { MinBatchSize = (int)n } : policy,
                PolicyJsonNames.MaxEpochs => Integer(value, path, 1, int.MaxValue) is { } n ? policy with { MaxEpochs = (int)n } : policy,
                PolicyJsonNames.MinRowsPerAggregate => Integer(value, path, 1, long.MaxValue) is { } n ? policy with { MinRowsPerAggregate = n } : policy,
                PolicyJsonNames.Releases => policy with { Releases = Releases(value, path) },
                PolicyJsonNames.Approval => Choice<ApprovalMode>(value, path) is { } a ? policy with { Approval = a } : policy,
                PolicyJsonNames.ApprovalTimeoutSeconds =>
                    Integer(value, path, 1, PartyPolicy.MaxApprovalTimeoutSeconds) is { } n ? policy with { ApprovalTimeoutSeconds = (int)n } : policy,
                PolicyJsonNames.Approvers => Patterns(value, path, p => PatternPlaces.Approver(p, expectedParty)) is { } p ? policy with { Approvers = p } : policy,
                PolicyJsonNames.Privacy => ReadPrivacy(value, path) is { } r ? policy with { Privacy = r } : policy,
                _ => policy,
            };
        }
        return policy;
    }

    private string ReadParty(Dictionary<string, JsonElement> fields)
    {
        const string path = "$.party";
        if (!fields.TryGetValue(PolicyJsonNames.Party, out JsonElement value))
        {
            Problem(path, $"required: the party this policy is for ('{expectedParty}')");
            return expectedParty;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Problem(path, $"must be a string, not {Describe(value.ValueKind)}");
            return expectedParty;
        }
        string party = value.GetString()!;
        if (!PolicyPattern.IsPartyId(party))
        {
            Problem(path, $"'{party}' is not a party id (1..{PolicyPattern.MaxPartyLength} letters, digits, '-' or '_')");
        }
        else if (party != expectedParty)
        {
            Problem(path, $"policy is for '{party}' but this silo is party '{expectedParty}'");
        }
        return expectedParty;
    }

    private Dictionary<string, JsonElement> Properties(JsonElement element, string path, IReadOnlyCollection<string> known)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string at = $"{path}.{property.Name}";
            if (!known.Contains(property.Name))
            {
                Problem(at, $"unknown property (known: {string.Join(", ", known)})");
            }
            else if (!fields.TryAdd(property.Name, property.Value))
            {
                Problem(at, "appears more than once");
            }
        }
        return fields;
    }

    private ReleaseRules Releases(JsonElement value, string path)
    {
        ReleaseRules rules = ReleaseRules.PartiesOnly;
        if (value.ValueKind != JsonValueKind.Object)
        {
            Problem(path, $"must be an object with {PolicyJsonNames.ReleaseNames}, not {Describe(value.ValueKind)}");
            return rules;
        }
        string[] kinds = ReleaseRules.Governed.Select(PolicyJsonNames.Of).ToArray();
        foreach ((string name, JsonElement recipients) in Properties(value, path, kinds))
        {
            ReleaseKind kind = PolicyJsonNames.Parse<ReleaseKind>(name)!.Value;
            if (Patterns(recipients, $"{path}.{name}", _ => null) is { } patterns)
            {
                rules = rules.With(kind, patterns);
            }
        }
        return rules;
    }

    private ImmutableArray<PolicyPattern>? Patterns(JsonElement value, string path, Func<PolicyPattern, string?> restriction)
    {
        if (Strings(value, path) is not { } items)
        {
            return null;
        }
        var patterns = ImmutableArray.CreateBuilder<PolicyPattern>(items.Count);
        bool valid = true;
        foreach ((string text, string at) in items)
        {
            PolicyPattern? pattern = PolicyPattern.TryParse(text, out string? problem);
            problem ??= restriction(pattern!);
            if (problem is not null)
            {
                Problem(at, problem);
                valid = false;
                continue;
            }
            patterns.Add(pattern!);
        }
        return valid ? patterns.MoveToImmutable() : null;
    }

    private ImmutableArray<SessionMode>? Modes(JsonElement value, string path)
    {
        if (Strings(value, path) is not { } items)
        {
            return null;
        }
        var modes = new List<SessionMode>();
        foreach ((string text, string at) in items)
        {
            if (PolicyJsonNames.Parse<SessionMode>(text) is { } mode)
            {
                modes.Add(mode);
            }
            else
            {
                Problem(at, $"unknown mode '{text}' (known: {PolicyJsonNames.ModeNames})");
            }
        }
        return modes.Count == items.Count ? [.. modes] : null;
    }

    private ImmutableArray<SessionModel>? Models(JsonElement value, string path)
    {
        if (Strings(value, path) is not { } items)
        {
            return null;
        }
        var models = new List<SessionModel>();
        foreach ((string text, string at) in items)
        {
            if (PolicyJsonNames.Parse<SessionModel>(text) is { } model)
            {
                models.Add(model);
            }
            else
            {
                Problem(at, $"unknown model '{text}' (known: {PolicyJsonNames.ModelNames})");
            }
        }
        return models.Count == items.Count ? [.. models] : null;
    }

    private ImmutableArray<string>? Columns(JsonElement value, string path)
    {
        if (Strings(value, path) is not { } items)
        {
            return null;
        }
        bool valid = true;
        foreach ((string text, string at) in items.Where(i => string.IsNullOrWhiteSpace(i.Text)))
        {
            Problem(at, "a column name must not be empty");
            valid = false;
        }
        return valid ? [.. items.Select(i => i.Text)] : null;
    }

    private List<(string Text, string Path)>? Strings(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            Problem(path, $"must be an array of strings, not {Describe(value.ValueKind)}");
            return null;
        }
        var items = new List<(string, string)>();
        bool valid = true;
        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string at = $"{path}[{index++}]";
            if (item.ValueKind == JsonValueKind.String)
            {
                items.Add((item.GetString()!, at));
            }
            else
            {
                Problem(at, $"must be a string, not {Describe(item.ValueKind)}");
                valid = false;
            }
        }
        return valid ? items : null;
    }

    private long? Integer(JsonElement value, string path, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            Problem(path, $"must be a whole number, not {Describe(value.ValueKind)}");
            return null;
        }
        if (!value.TryGetInt64(out long number))
        {
            Problem(path, $"must be a whole number between {min} and {max}, not {value.GetRawText()}");
            return null;
        }
        if (number < min || number > max)
        {
            string range = max == int.MaxValue || max == long.MaxValue ? $"at least {min}" : $"between {min} and {max}";
            Problem(path, $"must be {range}, not {number}");
            return null;
        }
        return number;
    }

    private PrivacyRules? ReadPrivacy(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            Problem(path, $"must be an object with {string.Join(", ", PolicyJsonNames.PrivacyFields)}, not {Describe(value.ValueKind)}");
            return null;
        }
        int before = problems.Count;
        PrivacyRules rules = PrivacyRules.None;
        foreach ((string name, JsonElement field) in Properties(value, path, PolicyJsonNames.PrivacyFields))
        {
            string at = $"{path}.{name}";
            switch (name)
            {
                case PolicyJsonNames.RequireDp:
                    if (field.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        rules = rules with { RequireDp = field.GetBoolean() };
                    }
                    else
                    {
                        Problem(at, $"must be true or false, not {Describe(field.ValueKind)}");
                    }
                    break;
                case PolicyJsonNames.BudgetEpsilon:
                    rules = rules with { BudgetEpsilon = Positive(field, at, 1e6) };
                    break;
                case PolicyJsonNames.BudgetDelta:
                    rules = rules with { BudgetDelta = Positive(field, at, 1) };
                    break;
                case PolicyJsonNames.MaxSessionEpsilon:
                    rules = rules with { MaxSessionEpsilon = Positive(field, at, 1e6) };
                    break;
                case PolicyJsonNames.Bounds:
                    rules = rules with { Bounds = ReadBounds(field, at) };
                    break;
            }
        }
        if (rules.MaxSessionEpsilon is { } most && rules.BudgetEpsilon is { } total && most > total)
        {
            Problem($"{path}.{PolicyJsonNames.MaxSessionEpsilon}", $"{most} exceeds the budget's ε = {total}");
        }
        return problems.Count == before ? rules : null;
    }

    /// <summary>Feature name → [lower, upper] with finite lower &lt; upper; null for JSON null.</summary>
    private Dictionary<string, (double Lower, double Upper)>? ReadBounds(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            Problem(path, $"must be an object from feature name to [lower, upper], not {Describe(value.ValueKind)}");
            return null;
        }
        var bounds = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        foreach (JsonProperty feature in value.EnumerateObject())
        {
            string at = $"{path}.{feature.Name}";
            JsonElement pair = feature.Value;
            if (pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2 && pair[0].ValueKind == JsonValueKind.Number && pair[1].ValueKind == JsonValueKind.Number
                && pair[0].TryGetDouble(out double lower) && pair[1].TryGetDouble(out double upper) && double.IsFinite(lower) && double.IsFinite(upper) && lower < upper)
            {
                if (!bounds.TryAdd(feature.Name, (lower, upper)))
                {
                    Problem(at, "appears more than once");
                }
            }
            else
            {
                Problem(at, "must be [lower, upper]: two finite numbers, lower < upper");
            }
        }
        return bounds;
    }

    /// <summary>A positive number up to <paramref name="max"/>, or null (JSON null: no limit).</summary>
    private double? Positive(JsonElement value, string path, double max)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || !(number > 0 && number <= max))
        {
            Problem(path, $"must be a number in (0, {max:G}] or null, not {(value.ValueKind == JsonValueKind.Number ? value.GetRawText() : Describe(value.ValueKind))}");
            return null;
        }
        return number;
    }

    private T? Choice<T>(JsonElement value, string path)
        where T : struct, Enum
    {
        string known = string.Join(" or ", Enum.GetValues<T>().Select(v => $"'{PolicyJsonNames.Of(v)}'"));
        if (value.ValueKind != JsonValueKind.String)
        {
            Problem(path, $"must be {known}, not {Describe(value.ValueKind)}");
            return null;
        }
        string text = value.GetString()!;
        T? parsed = PolicyJsonNames.Parse<T>(text);
        if (parsed is null)
        {
            Problem(path, $"must be {known}, not '{text}'");
        }
        return parsed;
    }

    private void Problem(string path, string text) => problems.Add($"{source}: {path}: {text}.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Reason(JsonException error)
    {
        string message = error.Message;
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (at > 0 ? message[..at] : message).TrimEnd('.', ' ');
    }
}
