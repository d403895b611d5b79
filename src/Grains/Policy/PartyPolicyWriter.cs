using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Policy;

/// <summary>Writes a <see cref="PartyPolicy"/> in the policy file's format, every field, in the documented order.</summary>
internal static class PartyPolicyWriter
{
    public static string Write(PartyPolicy policy)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString(PolicyJsonNames.Party, policy.Party);
            WriteList(json, PolicyJsonNames.Starters, policy.Starters.Select(p => p.ToString()));
            WriteList(json, PolicyJsonNames.Peers, policy.Peers.Select(p => p.ToString()));
            WriteList(json, PolicyJsonNames.Models, policy.Models.Select(PolicyJsonNames.Of));
            WriteList(json, PolicyJsonNames.Modes, policy.Modes.Select(PolicyJsonNames.Of));
            WriteList(json, PolicyJsonNames.Labels, policy.Labels);
            WriteList(json, PolicyJsonNames.Features, policy.Features);
            json.WriteNumber(PolicyJsonNames.MinBatchSize, policy.MinBatchSize);
            json.WriteNumber(PolicyJsonNames.MaxEpochs, policy.MaxEpochs);
            json.WriteNumber(PolicyJsonNames.MinRowsPerAggregate, policy.MinRowsPerAggregate);
            json.WriteStartObject(PolicyJsonNames.Releases);
            foreach (ReleaseKind kind in ReleaseRules.Governed)
            {
                WriteList(json, PolicyJsonNames.Of(kind), policy.Releases.For(kind).Select(p => p.ToString()));
            }
            json.WriteEndObject();
            json.WriteString(PolicyJsonNames.Approval, PolicyJsonNames.Of(policy.Approval));
            json.WriteNumber(PolicyJsonNames.ApprovalTimeoutSeconds, policy.ApprovalTimeoutSeconds);
            WriteList(json, PolicyJsonNames.Approvers, policy.Approvers.Select(p => p.ToString()));
            json.WriteStartObject(PolicyJsonNames.Privacy);
            json.WriteBoolean(PolicyJsonNames.RequireDp, policy.Privacy.RequireDp);
            WriteNumber(json, PolicyJsonNames.BudgetEpsilon, policy.Privacy.BudgetEpsilon);
            WriteNumber(json, PolicyJsonNames.BudgetDelta, policy.Privacy.BudgetDelta);
            WriteNumber(json, PolicyJsonNames.MaxSessionEpsilon, policy.Privacy.MaxSessionEpsilon);
            if (policy.Privacy.Bounds is { } bounds)
            {
                json.WriteStartObject(PolicyJsonNames.Bounds);
                foreach (var (feature, bound) in bounds.OrderBy(b => b.Key, StringComparer.Ordinal))
                {
                    json.WriteStartArray(feature);
                    json.WriteNumberValue(bound.Lower);
                    json.WriteNumberValue(bound.Upper);
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull(PolicyJsonNames.Bounds);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> items)
    {
        json.WriteStartArray(name);
        foreach (string item in items)
        {
            json.WriteStringValue(item);
        }
        json.WriteEndArray();
    }
}
