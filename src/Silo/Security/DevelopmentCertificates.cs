using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Silo.Security;

/// <summary>
/// A throwaway consortium for local runs: a CA and certificates for each party, the dealer, the parties' client
/// operators and a client of no member, all written as PEM. NOT for production: one machine holds every key, the CA's key included. A real consortium runs its CA
/// apart and each member keeps its own key (docs/deploy-kubernetes.md).
/// </summary>
public static class DevelopmentCertificates
{
    /// <summary>How long the certificates are valid.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(30);

    /// <summary>The name of the operator every party gets when none are named (<c>&lt;party&gt;:operator</c>).</summary>
    public const string DefaultOperatorName = "operator";

    /// <summary>
    /// Writes <c>ca.crt</c>, <c>ca.key</c>, and <c>NAME.crt</c> + <c>NAME.key</c> for every party, <c>dealer</c>, every
    /// operator (<see cref="FileName"/>: <c>client-&lt;party&gt;-&lt;name&gt;</c>) and <c>client</c> (a client of no
    /// member) into <paramref name="folder"/>; keys are readable by the owner only. Returns the files written.
    /// </summary>
    /// <param name="folder">Where the files go (created if missing; existing files of the same names are replaced).</param>
    /// <param name="parties">The party ids.</param>
    /// <param name="hosts">DNS names or IP addresses to put in every silo certificate (besides localhost and 127.0.0.1).</param>
    /// <param name="caName">The CA's common name (tests make a second, foreign CA with another name).</param>
    /// <param name="operators">The client operators; null: one per party (<see cref="DefaultOperators"/>).</param>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<string> parties, IReadOnlyList<string>? hosts = null, string caName = "SecureCompute development CA",
        IReadOnlyList<OperatorIdentity>? operators = null)
    {
        Directory.CreateDirectory(folder);
        DateTimeOffset from = DateTimeOffset.UtcNow.AddMinutes(-5);
        DateTimeOffset until = from + Validity;
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={caName} (not for production)", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(from, until);
        var written = new List<string>
        {
            WriteFile(folder, "ca.crt", ca.ExportCertificatePem(), secret: false),
            WriteFile(folder, "ca.key", caKey.ExportPkcs8PrivateKeyPem(), secret: true),
        };
        var members = parties.Select(p => (Name: p, Identity: ConsortiumIdentity.ForParty(p)))
            .Append(("dealer", ConsortiumIdentity.Dealer))
            .Concat((operators ?? DefaultOperators(parties)).Select(o => (FileName(o), ConsortiumIdentity.ForOperator(o))))
            .Append(("client", ConsortiumIdentity.Client));
        foreach (var (name, identity) in members)
        {
            written.AddRange(Issue(folder, name, identity, ca, hosts ?? Array.Empty<string>(), from, until));
        }
        return written;
    }

    /// <summary>One operator per party, named <see cref="DefaultOperatorName"/>.</summary>
    public static IReadOnlyList<OperatorIdentity> DefaultOperators(IEnumerable<string> parties) =>
        parties.Select(p => new OperatorIdentity(p, DefaultOperatorName)).ToList();

    /// <summary>The file name (without extension) of an operator's certificate and key: <c>client-&lt;party&gt;-&lt;name&gt;</c>.</summary>
    public static string FileName(OperatorIdentity @operator) => $"client-{@operator.Party}-{@operator.Name}";

    /// <summary>Issues one member's certificate under <paramref name="ca"/> (which must hold its key) and writes it.</summary>
    public static IReadOnlyList<string> Issue(string folder, string name, ConsortiumIdentity identity, X509Certificate2 ca, IReadOnlyList<string> hosts,
        DateTimeOffset from, DateTimeOffset until)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, OU=SecureCompute {identity.Role.ToString().ToLowerInvariant()}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication") };
        if (identity.Role != ConsortiumRole.Client)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"));
        }
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(identity.Uri));
        if (identity.Role != ConsortiumRole.Client)
        {
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            foreach (string host in hosts)
            {
                if (IPAddress.TryParse(host, out IPAddress? address))
                {
                    names.AddIpAddress(address);
                }
                else
                {
                    names.AddDnsName(host);
                }
            }
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using X509Certificate2 certificate = request.Create(ca, from, until, serial);
        return new[]
        {
            WriteFile(folder, $"{name}.crt", certificate.ExportCertificatePem(), secret: false),
            WriteFile(folder, $"{name}.key", key.ExportPkcs8PrivateKeyPem(), secret: true),
        };
    }

    /// <summary>Writes a file whole (to a temporary name, then renamed); a secret is created readable by its owner only.</summary>
    private static string WriteFile(string folder, string name, string text, bool secret)
    {
        string path = Path.Combine(folder, name);
        string temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Write('\n');
        }
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
