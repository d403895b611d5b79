namespace SecureCompute.Grains.Audit;

/// <summary>Whether a silo's audit-log grain keeps what it is given; on unless a benchmark turns it off.</summary>
/// <remarks>
/// Off exists for one purpose: the baseline of <c>bench training</c>, which measures what the trail costs. It is not a
/// silo setting — a production silo always audits, so neither <c>SiloHostOptions</c> nor the manifests offer it.
/// </remarks>
public sealed class AuditOptions
{
    /// <summary>Whether appends are chained, signed and stored; off (benchmark baseline only) still validates each record.</summary>
    public bool Enabled { get; set; } = true;
}
