using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace SecureCompute.Grains.Audit;

/// <summary>
/// Whether a certificate names a party: a subject-alternative-name URI <c>urn:securecompute:party:&lt;party&gt;</c> (the
/// consortium's convention; the silo host's own reader lives with its TLS code, which the grains do not depend on).
/// </summary>
public static class PartyCertificateName
{
    /// <summary>The URI prefix of a party's identity.</summary>
    public const string UriPrefix = "urn:securecompute:party:";

    private const string SubjectAlternativeNameOid = "2.5.29.17";

    /// <summary>Whether <paramref name="certificate"/> names <paramref name="party"/> and no other party.</summary>
    public static bool Names(X509Certificate2 certificate, string party)
    {
        string[] parties = Uris(certificate).Where(u => u.StartsWith(UriPrefix, StringComparison.Ordinal)).Select(u => u[UriPrefix.Length..]).Distinct().ToArray();
        return parties.Length == 1 && parties[0] == party;
    }

    /// <summary>The uniformResourceIdentifier entries ([6] IA5String) of the certificate's SubjectAltName extensions.</summary>
    public static IReadOnlyList<string> Uris(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SubjectAlternativeNameOid)
            {
                continue;
            }
            try
            {
                AsnReader names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
                while (names.HasData)
                {
                    if (names.PeekTag().HasSameClassAndValue(uriTag))
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
        }
        return uris;
    }
}
