namespace SecureCompute.Grains.Audit;

/// <summary>What <see cref="AuditVerifier.Verify"/> found: a trail that holds, or the first line that does not and why.</summary>
/// <param name="Ok">Whether every check passed.</param>
/// <param name="Line">The 1-based number of the first bad line (for a missing head: the line after the last); 0 when <see cref="Ok"/>.</param>
/// <param name="Reason">Why that line fails (names the check, never a value); null when <see cref="Ok"/>.</param>
/// <param name="Party">The header's party, when the header could be read.</param>
/// <param name="Entries">The number of entries, when <see cref="Ok"/>.</param>
/// <param name="HeadTime">When the head was signed, when <see cref="Ok"/>.</param>
public sealed record AuditVerification(bool Ok, int Line, string? Reason, string? Party, long Entries, DateTimeOffset? HeadTime)
{
    /// <summary>A failure at <paramref name="line"/>.</summary>
    public static AuditVerification Failed(int line, string reason, string? party = null) => new(false, line, reason, party, 0, null);
}
