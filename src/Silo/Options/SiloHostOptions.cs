namespace SecureCompute.Silo.Options;

/// <summary>A silo process's settings: section <c>SecureCompute</c> of appsettings.json, environment variables
/// (<c>SecureCompute__Party__Id</c>, …) and the command line (<see cref="SwitchMappings"/>), later sources winning.</summary>
public sealed class SiloHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "SecureCompute";

    /// <summary>Short command-line switches and the keys they set.</summary>
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["--role"] = "SecureCompute:Role",
        ["--party"] = "SecureCompute:Party:Id",
        ["--data"] = "SecureCompute:Party:DataFile",
        ["--silo-port"] = "SecureCompute:Ports:Silo",
        ["--gateway-port"] = "SecureCompute:Ports:Gateway",
        ["--clustering"] = "SecureCompute:Clustering:Provider",
        ["--redis"] = "SecureCompute:Clustering:Redis",
        ["--primary-port"] = "SecureCompute:Clustering:PrimarySiloPort",
        ["--cluster-id"] = "SecureCompute:Clustering:ClusterId",
        ["--storage"] = "SecureCompute:Storage:Provider",
        ["--storage-redis"] = "SecureCompute:Storage:Redis",
        ["--key-file"] = "SecureCompute:Storage:KeyFile",
        ["--round-timeout"] = "SecureCompute:Sessions:RoundTimeout",
        ["--party-loss-grace"] = "SecureCompute:Sessions:PartyLossGrace",
        ["--advertise"] = "SecureCompute:Ports:AdvertisedHost",
        ["--tls-cert"] = "SecureCompute:Tls:Certificate",
        ["--tls-key"] = "SecureCompute:Tls:Key",
        ["--tls-ca"] = "SecureCompute:Tls:Authority",
        ["--policy"] = "SecureCompute:Governance:PolicyFile",
    };

    /// <summary>Switches that stand alone (no value) and the keys they set to <c>true</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> FlagMappings = new Dictionary<string, string>
    {
        ["--allow-reproducible-seeds"] = "SecureCompute:Governance:AllowReproducibleSeeds",
    };

    /// <summary><paramref name="args"/> with every stand-alone flag given its value (<c>true</c>) unless one follows.</summary>
    public static string[] ExpandFlags(IReadOnlyList<string> args)
    {
        var expanded = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            if (FlagMappings.TryGetValue(args[i], out string? key))
            {
                bool valued = i + 1 < args.Count && bool.TryParse(args[i + 1], out _);
                expanded.Add($"--{key}");
                expanded.Add(valued ? args[++i] : "true");
                continue;
            }
            expanded.Add(args[i]);
        }
        return expanded.ToArray();
    }

    /// <summary>"party" or "dealer".</summary>
    public string Role { get; set; } = "party";

    /// <summary>The party this silo serves (role party).</summary>
    public PartyOptions Party { get; set; } = new();

    /// <summary>The silo's ports.</summary>
    public PortOptions Ports { get; set; } = new();

    /// <summary>How silos find each other.</summary>
    public ClusteringOptions Clustering { get; set; } = new();

    /// <summary>Where grain state is kept.</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>The time limits of the sessions this silo coordinates.</summary>
    public Grains.Sessions.SessionOptions Sessions { get; set; } = new();

    /// <summary>Mutual TLS on every connection (off unless a certificate is named).</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>Running in Kubernetes.</summary>
    public KubernetesOptions Kubernetes { get; set; } = new();

    /// <summary>What this party allows sessions to do, and whether reproducible seeds are allowed.</summary>
    public GovernanceOptions Governance { get; set; } = new();
}

/// <summary>A party's governance: its policy and the development-only escape from fresh seeds.</summary>
public sealed class GovernanceOptions
{
    /// <summary>The party's policy (JSON: who may start sessions, with whom, on what, and who receives which results).</summary>
    public string PolicyFile { get; set; } = "";

    /// <summary>
    /// Whether this silo takes part in sessions whose spec sets a reproducible seed (demos and tests only: every secret
    /// seed is then derived from a public value). Off by default; on the command line the bare flag
    /// <c>--allow-reproducible-seeds</c>.
    /// </summary>
    public bool AllowReproducibleSeeds { get; set; }
}

/// <summary>Mutual TLS: this silo's certificate and key, and the consortium's CA (all PEM files).</summary>
public sealed class TlsOptions
{
    /// <summary>This silo's certificate (PEM); it must name the silo's party (or the dealer). Empty: TLS off.</summary>
    public string Certificate { get; set; } = "";

    /// <summary>The certificate's private key (PEM).</summary>
    public string Key { get; set; } = "";

    /// <summary>The consortium's CA certificate (PEM): the only issuer whose certificates a peer may present.</summary>
    public string Authority { get; set; } = "";

    /// <summary>Whether TLS is on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Certificate) || !string.IsNullOrWhiteSpace(Key) || !string.IsNullOrWhiteSpace(Authority);
}

/// <summary>Kubernetes hosting.</summary>
public sealed class KubernetesOptions
{
    /// <summary>
    /// Orleans' Kubernetes integration (<c>UseKubernetesHosting</c>: silo name and address from the pod, dead silos'
    /// pods deleted, deleted pods' silos declared dead). Only for a cluster whose silos all run in one Kubernetes
    /// namespace: at start it declares dead every silo without a pod in its own namespace — in a deployment across
    /// organisations, every other party's silo (docs/deploy-kubernetes.md).
    /// </summary>
    public bool Enabled { get; set; }
}

/// <summary>A party silo's identity and data.</summary>
public sealed class PartyOptions
{
    /// <summary>The party id (letters, digits, '-', '_').</summary>
    public string Id { get; set; } = "";

    /// <summary>The party's CSV file (header row, numeric columns, the label column).</summary>
    public string DataFile { get; set; } = "";
}

/// <summary>The silo's ports on this host.</summary>
public sealed class PortOptions
{
    /// <summary>Silo-to-silo port.</summary>
    public int Silo { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    public int Gateway { get; set; } = 30000;

    /// <summary>
    /// The host name or IP address other silos and clients reach this silo at (e.g. a load balancer's address in front
    /// of a pod); the silo then listens on every interface. Empty: the pod's IP with Kubernetes hosting, else loopback
    /// (every silo on this host).
    /// </summary>
    public string AdvertisedHost { get; set; } = "";
}

/// <summary>Cluster membership.</summary>
public sealed class ClusteringOptions
{
    /// <summary>"localhost" (all silos on this host, one primary) or "redis".</summary>
    public string Provider { get; set; } = "localhost";

    /// <summary>Redis connection string (StackExchange.Redis format, e.g. <c>127.0.0.1:6379</c>) for redis clustering.</summary>
    public string Redis { get; set; } = "";

    /// <summary>With localhost clustering: the primary silo's port (this silo's own port makes it the primary).</summary>
    public int PrimarySiloPort { get; set; } = 11111;

    /// <summary>The cluster id: silos and clients with the same id form one cluster.</summary>
    public string ClusterId { get; set; } = "securecompute";

    /// <summary>The service id (stable across deployments of the same service).</summary>
    public string ServiceId { get; set; } = "securecompute";
}

/// <summary>Grain state storage.</summary>
public sealed class StorageOptions
{
    /// <summary>"memory" or "redis".</summary>
    public string Provider { get; set; } = "memory";

    /// <summary>Redis connection string for redis storage.</summary>
    public string Redis { get; set; } = "";

    /// <summary>The party's key file for encryption at rest (required with persistent storage).</summary>
    public string KeyFile { get; set; } = "";
}
