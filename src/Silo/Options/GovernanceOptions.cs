namespace SecureCompute.Silo.Options;

/// <summary>What this party's silo admits: its policy file and whether it takes part in reproducible-seed sessions.</summary>
public sealed class GovernanceOptions
{
    /// <summary>The party's policy (JSON, docs/policy.md). Empty: the documented restrictive default.</summary>
    public string PolicyFile { get; set; } = "";

    /// <summary>
    /// Take part in sessions whose spec carries a reproducible seed (every secret seed derived from one public number).
    /// Tests, demos and benchmarks only; off by default, and the Kubernetes manifests leave it off.
    /// </summary>
    public bool AllowReproducibleSeeds { get; set; }
}
