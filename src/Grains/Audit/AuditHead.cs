using System.Text.Json;

namespace SecureCompute.Grains.Audit;

/// <summary>
/// The last line of an export: the trail's length and last hash as the silo saw them at export time, signed. A file cut
/// short, or an entry added or removed at the end, no longer matches it.
/// </summary>
/// <param name="Party">The party whose trail it is.</param>
/// <param name="Count">How many entries the trail holds.</param>
/// <param name="Last">The last entry's hash; <see cref="AuditJson.ZeroHash"/> for an empty trail.</param>
/// <param name="Time">When the head was signed (UTC).</param>
/// <param name="Sig">Base64 signature (SHA-256) of <see cref="Body"/>; empty if unsigned.</param>
public sealed record AuditHead(string Party, long Count, string Last, DateTimeOffset Time, string Sig)
{
    /// <summary>A head line's first bytes.</summary>
    public const string LineStart = "{\"head\":";

    /// <summary>The canonical UTF-8 JSON of the <c>head</c> object: what <see cref="Sig"/> signs.</summary>
    public byte[] Body() => AuditJson.Write(WriteHead);

    /// <summary>The head's canonical line.</summary>
    public string ToLine() => AuditJson.Text(AuditJson.Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("head");
        WriteHead(w);
        w.WriteString("sig", Sig);
        w.WriteEndObject();
    }));

    /// <summary>Reads a head line; a missing <c>sig</c> reads as empty. Throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static AuditHead Parse(string line)
    {
        using JsonDocument document = AuditJson.ParseObject(line);
        JsonElement root = document.RootElement;
        if (!root.TryGetProperty("head", out JsonElement head) || head.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("'head' is missing or not an object.");
        }
        string sig = root.TryGetProperty("sig", out _) ? AuditJson.OptionalString(root, "sig") ?? "" : "";
        return new AuditHead(AuditJson.RequiredString(head, "party"), AuditJson.RequiredCount(head, "count"), AuditJson.RequiredString(head, "last"),
            AuditJson.ParseTime(AuditJson.RequiredString(head, "time")), sig);
    }

    private void WriteHead(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("party", Party);
        w.WriteNumber("count", Count);
        w.WriteString("last", Last);
        w.WriteString("time", AuditJson.FormatTime(Time));
        w.WriteEndObject();
    }
}
