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
    };

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
