using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SecureCompute.Grains.Audit;

/// <summary>
/// The canonical JSON of the audit format: System.Text.Json's <see cref="Utf8JsonWriter"/> with its default escaping,
/// no indentation, properties in a fixed order. Writing a parsed line again gives the same bytes, which is what the
/// verifier checks (docs/audit.md).
/// </summary>
public static class AuditJson
{
    /// <summary>The format name in the header line.</summary>
    public const string Format = "securecompute-audit/1";

    /// <summary>The <c>prev</c> of the first entry (and the <c>last</c> of an empty trail's head): 64 zeros.</summary>
    public static readonly string ZeroHash = new('0', 64);

    /// <summary>How times are written: UTC, ISO-8601 with seven fractional digits and a 'Z'.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>The canonical UTF-8 bytes that <paramref name="write"/> produces.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            write(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>A time as the format writes it.</summary>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>A time the format wrote; throws <see cref="FormatException"/> for any other form.</summary>
    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time)
            ? time
            : throw new FormatException("'time' is not a UTC time of the form yyyy-MM-ddTHH:mm:ss.fffffffZ.");

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Whether <paramref name="text"/> is 64 lower-case hex digits.</summary>
    public static bool IsHash(string text) => text.Length == 64 && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>The UTF-8 text of canonical bytes.</summary>
    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>A string property's value; throws <see cref="FormatException"/> naming the property if it is missing or not a string.</summary>
    public static string RequiredString(JsonElement element, string name) =>
        OptionalString(element, name) ?? throw new FormatException($"'{name}' is missing or null.");

    /// <summary>A string-or-null property's value; throws <see cref="FormatException"/> naming the property if it is missing or of another type.</summary>
    public static string? OptionalString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            throw new FormatException($"'{name}' is missing.");
        }
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => value.GetString(),
            _ => throw new FormatException($"'{name}' is not a string."),
        };
    }

    /// <summary>A non-negative integer property's value; throws <see cref="FormatException"/> naming the property otherwise.</summary>
    public static long RequiredCount(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) && n >= 0
            ? n
            : throw new FormatException($"'{name}' is missing or not a non-negative integer.");

    /// <summary>The root object of one line; throws <see cref="FormatException"/> if the line is not a JSON object.</summary>
    public static JsonDocument ParseObject(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            throw new FormatException("the line is not JSON.");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new FormatException("the line is not a JSON object.");
        }
        return document;
    }
}
