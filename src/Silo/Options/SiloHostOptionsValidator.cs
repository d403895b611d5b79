using Microsoft.Extensions.Options;

namespace SecureCompute.Silo.Options;

/// <summary>Collects every problem with a silo's settings, so that one start-up lists them all.</summary>
public sealed class SiloHostOptionsValidator : IValidateOptions<SiloHostOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloHostOptions options)
    {
        IReadOnlyList<string> problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Every problem, each naming the setting (as its command-line switch and configuration key).</summary>
    public static IReadOnlyList<string> Problems(SiloHostOptions o)
    {
        var problems = new List<string>();
        string role = o.Role.Trim().ToLowerInvariant();
        if (role is not ("party" or "dealer"))
        {
            problems.Add($"--role (SecureCompute:Role) must be 'party' or 'dealer', not '{o.Role}'.");
        }
        if (role == "party")
        {
            if (string.IsNullOrEmpty(o.Party.Id) || !o.Party.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                problems.Add($"--party (SecureCompute:Party:Id) must be letters, digits, '-' or '_', not '{o.Party.Id}'.");
            }
            if (string.IsNullOrEmpty(o.Party.DataFile))
            {
                problems.Add("--data (SecureCompute:Party:DataFile) must name the party's CSV file.");
            }
            else if (!File.Exists(o.Party.DataFile))
            {
                problems.Add($"--data (SecureCompute:Party:DataFile): the file {Path.GetFullPath(o.Party.DataFile)} does not exist.");
            }
        }
        else if (role == "dealer" && (o.Party.Id.Length > 0 || o.Party.DataFile.Length > 0))
        {
            problems.Add("a dealer silo has no party id and no data file (--party, --data).");
        }
        if (role == "party" && !string.IsNullOrWhiteSpace(o.Governance.PolicyFile))
        {
            // Every problem of the policy file, each naming the file and its JSON path.
            problems.AddRange(Grains.Policy.PartyPolicyLoader.Problems(o.Governance.PolicyFile, o.Party.Id).Select(p => $"--policy (SecureCompute:Governance:PolicyFile): {p}"));
        }
        else if (role == "dealer" && !string.IsNullOrWhiteSpace(o.Governance.PolicyFile))
        {
            problems.Add("a dealer silo has no policy (--policy): it holds no rows.");
        }
        Port("--silo-port (SecureCompute:Ports:Silo)", o.Ports.Silo, problems);
        Port("--gateway-port (SecureCompute:Ports:Gateway)", o.Ports.Gateway, problems);
        if (o.Ports.Silo == o.Ports.Gateway)
        {
            problems.Add($"the silo and gateway ports must differ (both {o.Ports.Silo}).");
        }
        switch (o.Clustering.Provider.Trim().ToLowerInvariant())
        {
            case "localhost":
                Port("--primary-port (SecureCompute:Clustering:PrimarySiloPort)", o.Clustering.PrimarySiloPort, problems);
                break;
            case "redis":
                if (string.IsNullOrWhiteSpace(o.Clustering.Redis))
                {
                    problems.Add("--redis (SecureCompute:Clustering:Redis) is required with redis clustering (e.g. 127.0.0.1:6379).");
                }
                break;
            default:
                problems.Add($"--clustering (SecureCompute:Clustering:Provider) must be 'localhost' or 'redis', not '{o.Clustering.Provider}'.");
                break;
        }
        if (string.IsNullOrWhiteSpace(o.Clustering.ClusterId))
        {
            problems.Add("--cluster-id (SecureCompute:Clustering:ClusterId) must not be empty.");
        }
        switch (o.Storage.Provider.Trim().ToLowerInvariant())
        {
            case "memory":
                break;
            case "redis":
                if (string.IsNullOrWhiteSpace(o.Storage.Redis) && string.IsNullOrWhiteSpace(o.Clustering.Redis))
                {
                    problems.Add("--storage-redis (SecureCompute:Storage:Redis) is required with redis storage (or --redis for both).");
                }
                if (string.IsNullOrWhiteSpace(o.Storage.KeyFile))
                {
                    problems.Add("--key-file (SecureCompute:Storage:KeyFile) is required with persistent storage: shares and seeds are encrypted at rest.");
                }
                else if (!File.Exists(o.Storage.KeyFile))
                {
                    problems.Add($"--key-file (SecureCompute:Storage:KeyFile): the file {Path.GetFullPath(o.Storage.KeyFile)} does not exist.");
                }
                break;
            default:
                problems.Add($"--storage (SecureCompute:Storage:Provider) must be 'memory' or 'redis', not '{o.Storage.Provider}'.");
                break;
        }
        problems.AddRange(o.Sessions.Validate());
        if (o.Ports.AdvertisedHost.Length > 0 && Uri.CheckHostName(o.Ports.AdvertisedHost.Trim()) == UriHostNameType.Unknown)
        {
            problems.Add($"--advertise (SecureCompute:Ports:AdvertisedHost) must be a host name or an IP address, not '{o.Ports.AdvertisedHost}'.");
        }
        if (o.Tls.Enabled)
        {
            TlsProblems(o, role, problems);
        }
        return problems;
    }

    /// <summary>
    /// TLS: all three files named and loadable, the certificate valid under the CA — and naming this silo's party (or the
    /// dealer): a silo may serve only the party its certificate names.
    /// </summary>
    private static void TlsProblems(SiloHostOptions o, string role, List<string> problems)
    {
        var files = new[]
        {
            ("--tls-cert (SecureCompute:Tls:Certificate)", o.Tls.Certificate),
            ("--tls-key (SecureCompute:Tls:Key)", o.Tls.Key),
            ("--tls-ca (SecureCompute:Tls:Authority)", o.Tls.Authority),
        };
        bool complete = true;
        foreach (var (what, file) in files)
        {
            if (string.IsNullOrWhiteSpace(file))
            {
                problems.Add($"{what} is required with TLS (all of --tls-cert, --tls-key and --tls-ca, or none).");
                complete = false;
            }
            else if (!File.Exists(file))
            {
                problems.Add($"{what}: the file {Path.GetFullPath(file)} does not exist.");
                complete = false;
            }
        }
        if (!complete)
        {
            return;
        }
        Security.ConsortiumTls tls;
        try
        {
            tls = Security.ConsortiumTls.Load(o.Tls.Certificate, o.Tls.Key, o.Tls.Authority);
        }
        catch (Security.TlsSetupException e)
        {
            problems.Add($"TLS: {e.Message}");
            return;
        }
        Security.ConsortiumIdentity? claimed = role switch
        {
            "party" => Security.ConsortiumIdentity.ForParty(o.Party.Id),
            "dealer" => Security.ConsortiumIdentity.Dealer,
            _ => null,
        };
        if (claimed is not null && tls.Identity != claimed)
        {
            problems.Add($"TLS: the certificate {o.Tls.Certificate} names {tls.Identity}, but this silo claims to be {claimed}; a silo may serve only the party its certificate names.");
        }
    }

    private static void Port(string what, int port, List<string> problems)
    {
        if (port is < 1 or > 65535)
        {
            problems.Add($"{what} must be between 1 and 65535, not {port}.");
        }
    }
}
