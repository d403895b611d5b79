namespace SecureCompute.Grains.Interfaces.Governance;

/// <summary>
/// One event for a party's audit trail, as a grain of that party's silo reports it: its kind, the session (if any) and
/// named fields. Fields hold public metadata only (rule names, counts, kinds, party and client ids) — never a value.
/// </summary>
/// <param name="Kind">The event.</param>
/// <param name="Session">The session it concerns, or null.</param>
/// <param name="Fields">Named public facts (e.g. <c>rule</c>, <c>elements</c>, <c>recipients</c>), in a stable order.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.AuditRecord")]
public sealed record AuditRecord(
    [property: Id(0)] AuditEventKind Kind,
    [property: Id(1)] string? Session,
    [property: Id(2)] KeyValuePair<string, string>[] Fields);
