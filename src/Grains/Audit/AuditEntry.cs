using System.Text.Json;
using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Audit;

/// <summary>
/// One line of a party's audit trail: <c>seq</c>, <c>time</c>, <c>party</c>, <c>kind</c>, <c>session</c>, <c>fields</c>,
/// <c>prev</c>, <c>hash</c>, <c>sig</c>, in that order (docs/audit.md).
/// </summary>
/// <param name="Seq">The entry's position: 0, 1, 2, …</param>
/// <param name="Time">When the entry was appended (UTC).</param>
/// <param name="Party">The party whose trail it is.</param>
/// <param name="Kind">The event (written as the enum member's name, e.g. <c>SessionAdmitted</c>).</param>
/// <param name="Session">The session it concerns, or null.</param>
/// <param name="Fields">The record's named public facts, in the order given.</param>
/// <param name="Prev">The previous entry's <see cref="Hash"/>; <see cref="AuditJson.ZeroHash"/> for entry 0.</param>
/// <param name="Hash">Lower-case hex SHA-256 of <see cref="Body"/>.</param>
/// <param name="Sig">Base64 signature of <see cref="Hash"/>'s 32 bytes (the SHA-256 digest of <see cref="Body"/>); empty if unsigned.</param>
public sealed record AuditEntry(long Seq, DateTimeOffset Time, string Party, AuditEventKind Kind, string? Session,
    IReadOnlyList<KeyValuePair<string, string>> Fields, string Prev, string Hash, string Sig)
{
    /// <summary>An entry's first bytes: tells an entry line from the header and the head.</summary>
    public const string LineStart = "{\"seq\":";

    /// <summary>The canonical UTF-8 JSON of the entry without <c>hash</c> and <c>sig</c>: what <see cref="Hash"/> is the SHA-256 of.</summary>
    public byte[] Body() => AuditJson.Write(w => WriteObject(w, withSeal: false));

    /// <summary>The hash <see cref="Body"/> has (lower-case hex).</summary>
    public string ComputeHash() => AuditJson.Sha256Hex(Body());

    /// <summary>The entry's canonical line.</summary>
    public string ToLine() => AuditJson.Text(AuditJson.Write(w => WriteObject(w, withSeal: true)));

    /// <summary>Reads an entry line; a missing <c>sig</c> reads as empty (unsigned). Throws <see cref="FormatException"/> naming the property at fault.</summary>
    public static AuditEntry Parse(string line)
    {
        using JsonDocument document = AuditJson.ParseObject(line);
        JsonElement root = document.RootElement;
        long seq = AuditJson.RequiredCount(root, "seq");
        DateTimeOffset time = AuditJson.ParseTime(AuditJson.RequiredString(root, "time"));
        string party = AuditJson.RequiredString(root, "party");
        string kindName = AuditJson.RequiredString(root, "kind");
        if (kindName.Length == 0 || !char.IsAsciiLetter(kindName[0]) || !Enum.TryParse(kindName, ignoreCase: false, out AuditEventKind kind) || !Enum.IsDefined(kind))
        {
            throw new FormatException("'kind' names no known event.");
        }
        string? session = AuditJson.OptionalString(root, "session");
        if (!root.TryGetProperty("fields", out JsonElement fieldsElement) || fieldsElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("'fields' is missing or not an object.");
        }
        var fields = new List<KeyValuePair<string, string>>();
        foreach (JsonProperty field in fieldsElement.EnumerateObject())
        {
            if (field.Value.ValueKind != JsonValueKind.String)
            {
                throw new FormatException("a field's value is not a string.");
            }
            fields.Add(new KeyValuePair<string, string>(field.Name, field.Value.GetString()!));
        }
        string prev = AuditJson.RequiredString(root, "prev");
        string hash = AuditJson.RequiredString(root, "hash");
        string sig = root.TryGetProperty("sig", out _) ? AuditJson.OptionalString(root, "sig") ?? "" : "";
        return new AuditEntry(seq, time, party, kind, session, fields, prev, hash, sig);
    }

    private void WriteObject(Utf8JsonWriter writer, bool withSeal)
    {
        writer.WriteStartObject();
        writer.WriteNumber("seq", Seq);
        writer.WriteString("time", AuditJson.FormatTime(Time));
        writer.WriteString("party", Party);
        writer.WriteString("kind", Kind.ToString());
        writer.WriteString("session", Session);
        writer.WriteStartObject("fields");
        foreach (KeyValuePair<string, string> field in Fields)
        {
            writer.WriteString(field.Key, field.Value);
        }
        writer.WriteEndObject();
        writer.WriteString("prev", Prev);
        if (withSeal)
        {
            writer.WriteString("hash", Hash);
            writer.WriteString("sig", Sig);
        }
        writer.WriteEndObject();
    }
}
