using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Silo.Security;

/// <summary>The roles a consortium certificate can name.</summary>
public enum ConsortiumRole
{
    /// <summary>A data-owning party (its id in <see cref="ConsortiumIdentity.Party"/>).</summary>
    Party,

    /// <summary>The dealer.</summary>
    Dealer,

    /// <summary>A client: an operator of a member (<see cref="ConsortiumIdentity.Operator"/>), or a client of no member.</summary>
    Client,
}

/// <summary>
/// Who a consortium certificate says its holder is: a subject-alternative-name URI
/// <c>urn:securecompute:party:&lt;id&gt;</c>, <c>urn:securecompute:dealer</c>,
/// <c>urn:securecompute:client:&lt;party&gt;:&lt;name&gt;</c> (an operator of that member) or
/// <c>urn:securecompute:client</c> (a client of no member) — URIs, not the subject's CN, so that host names stay free
/// for the DNS entries a deployment needs.
/// </summary>
/// <param name="Role">What the holder is.</param>
/// <param name="Party">A party's id (role <see cref="ConsortiumRole.Party"/> only).</param>
/// <param name="Operator">The member and name of a client operator (role <see cref="ConsortiumRole.Client"/> only; null for a client of no member).</param>
public sealed record ConsortiumIdentity(ConsortiumRole Role, string? Party, OperatorIdentity? Operator = null)
{
    /// <summary>The URI prefix of every identity.</summary>
    public const string Prefix = "urn:securecompute:";

    private const string SubjectAlternativeNameOid = "2.5.29.17";

    /// <summary>A party's identity.</summary>
    public static ConsortiumIdentity ForParty(string party) => new(ConsortiumRole.Party, party);

    /// <summary>The dealer's identity.</summary>
    public static ConsortiumIdentity Dealer { get; } = new(ConsortiumRole.Dealer, null);

    /// <summary>The identity of a client of no member (it may start sessions where no policy asks who starts them).</summary>
    public static ConsortiumIdentity Client { get; } = new(ConsortiumRole.Client, null);

    /// <summary>The identity of a client operator of a member.</summary>
    public static ConsortiumIdentity ForOperator(OperatorIdentity @operator) => new(ConsortiumRole.Client, null, @operator);

    /// <summary>The identity as its URI.</summary>
    public string Uri => Role switch
    {
        ConsortiumRole.Party => $"{Prefix}party:{Party}",
        ConsortiumRole.Dealer => $"{Prefix}dealer",
        _ => Operator?.Uri ?? $"{Prefix}client",
    };

    /// <inheritdoc />
    public override string ToString() => Role switch
    {
        ConsortiumRole.Party => $"party '{Party}'",
        ConsortiumRole.Client when Operator is not null => $"client '{Operator}'",
        _ => Role.ToString().ToLowerInvariant(),
    };

    /// <summary>The identity <paramref name="certificate"/> names, or null if it names none (or more than one).</summary>
    public static ConsortiumIdentity? Of(X509Certificate2 certificate)
    {
        var found = new List<ConsortiumIdentity>();
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SubjectAlternativeNameOid)
            {
                continue;
            }
            foreach (string uri in Uris(extension.RawData))
            {
                if (Parse(uri) is { } identity)
                {
                    found.Add(identity);
                }
            }
        }
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>The identity a URI names, or null.</summary>
    public static ConsortiumIdentity? Parse(string uri)
    {
        if (!uri.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        string rest = uri[Prefix.Length..];
        if (rest == "dealer")
        {
            return Dealer;
        }
        if (rest == "client")
        {
            return Client;
        }
        if (rest.StartsWith("client:", StringComparison.Ordinal))
        {
            // Exactly as written: no spaces or other slack that would make two URIs name one operator.
            return OperatorIdentity.FromUri(uri) is { } @operator && @operator.Uri == uri ? ForOperator(@operator) : null;
        }
        return rest.StartsWith("party:", StringComparison.Ordinal) && rest.Length > "party:".Length ? ForParty(rest["party:".Length..]) : null;
    }

    /// <summary>The uniformResourceIdentifier entries ([6] IA5String) of a SubjectAltName extension.</summary>
    private static IEnumerable<string> Uris(byte[] extension)
    {
        var uris = new List<string>();
        try
        {
            var reader = new AsnReader(extension, AsnEncodingRules.DER);
            AsnReader names = reader.ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (names.HasData)
            {
                Asn1Tag tag = names.PeekTag();
                if (tag.HasSameClassAndValue(uriTag))
                {
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            return Array.Empty<string>();
        }
        return uris;
    }
}
