namespace SecureCompute.Grains.Interfaces.Governance;

/// <summary>
/// A client identity that belongs to a consortium member: <c>&lt;party&gt;:&lt;name&gt;</c>, e.g. <c>hospital-1:alice</c>
/// (in a certificate: the SAN URI <c>urn:securecompute:client:hospital-1:alice</c>).
/// </summary>
/// <param name="Party">The party the operator belongs to.</param>
/// <param name="Name">The operator's name within that party.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.OperatorIdentity")]
public sealed record OperatorIdentity([property: Id(0)] string Party, [property: Id(1)] string Name)
{
    /// <summary>The URI prefix of a client identity in a certificate.</summary>
    public const string UriPrefix = "urn:securecompute:client:";

    /// <summary>Parses <c>party:name</c>; null if it is not of that form (both parts letters, digits, '-', '_', '.').</summary>
    public static OperatorIdentity? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        string[] parts = text.Trim().Split(':');
        return parts.Length == 2 && Valid(parts[0]) && Valid(parts[1]) ? new OperatorIdentity(parts[0], parts[1]) : null;
    }

    /// <summary>The identity a certificate's SAN URI names (<see cref="UriPrefix"/> + party:name), or null.</summary>
    public static OperatorIdentity? FromUri(string uri) =>
        uri.StartsWith(UriPrefix, StringComparison.Ordinal) ? TryParse(uri[UriPrefix.Length..]) : null;

    /// <summary>The identity as a SAN URI.</summary>
    public string Uri => $"{UriPrefix}{Party}:{Name}";

    /// <summary>Whether <paramref name="part"/> is a valid party id or operator name.</summary>
    public static bool Valid(string part) => part.Length is > 0 and <= 64 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <inheritdoc />
    public override string ToString() => $"{Party}:{Name}";
}
