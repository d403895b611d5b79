using System.Text.Json;

namespace SecureCompute.Grains.Audit;

/// <summary>
/// The first line of an export: the format, the party, and the key that signs the entries and the head — a
/// certificate (base64 DER) or, for a silo's local key, its SubjectPublicKeyInfo (base64); exactly one of the two.
/// </summary>
/// <param name="Party">The party whose trail follows.</param>
/// <param name="Certificate">The signing certificate (base64 DER), or null.</param>
/// <param name="PublicKey">The signing key's SubjectPublicKeyInfo (base64), or null.</param>
public sealed record AuditHeader(string Party, string? Certificate, string? PublicKey)
{
    /// <summary>The header's canonical line.</summary>
    public string ToLine() => AuditJson.Text(AuditJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("format", AuditJson.Format);
        w.WriteString("party", Party);
        w.WriteString("certificate", Certificate);
        w.WriteString("publicKey", PublicKey);
        w.WriteEndObject();
    }));

    /// <summary>Reads a header line; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static AuditHeader Parse(string line)
    {
        using JsonDocument document = AuditJson.ParseObject(line);
        JsonElement root = document.RootElement;
        if (AuditJson.OptionalString(root, "format") != AuditJson.Format)
        {
            throw new FormatException($"'format' is not {AuditJson.Format}.");
        }
        var header = new AuditHeader(AuditJson.RequiredString(root, "party"), AuditJson.OptionalString(root, "certificate"), AuditJson.OptionalString(root, "publicKey"));
        if ((header.Certificate is null) == (header.PublicKey is null))
        {
            throw new FormatException("the header must carry exactly one of 'certificate' and 'publicKey'.");
        }
        return header;
    }
}
