namespace SecureCompute.Grains.Policy;

/// <summary>The names of the silo setting that names this party's policy file.</summary>
public static class PolicySettings
{
    /// <summary>The silo's command-line option.</summary>
    public const string CommandLineOption = "--policy";

    /// <summary>The configuration key.</summary>
    public const string ConfigurationKey = "SecureCompute:Governance:PolicyFile";

    /// <summary>The environment variable.</summary>
    public const string EnvironmentVariable = "SecureCompute__Governance__PolicyFile";
}
