using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Interfaces;

/// <summary>
/// A party's audit trail (key: the party id). Lives only on that party's silos and keeps its entries in the party's own
/// storage: hash-chained, each signed with the silo's key.
/// </summary>
[Alias("SecureCompute.IAuditLogGrain")]
public interface IAuditLogGrain : IGrainWithStringKey
{
    /// <summary>Appends one event (called by the party's own silo only).</summary>
    [Alias("Append")]
    Task AppendAsync(AuditRecord record);

    /// <summary>The whole trail as JSON lines (the export format of docs/audit.md), ending with a signed head.</summary>
    /// <param name="credential">An operator of this party (purpose <see cref="ClientPurpose.ExportAudit"/>, subject: the party id).</param>
    [Alias("Export")]
    Task<string[]> ExportAsync(ClientCredential credential);
}
