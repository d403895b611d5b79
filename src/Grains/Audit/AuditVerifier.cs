using System.Security.Cryptography.X509Certificates;

namespace SecureCompute.Grains.Audit;

/// <summary>
/// Checks an exported trail (docs/audit.md) and names the first line that fails, with a reason that names the check
/// and never a value.
/// </summary>
/// <remarks>
/// Steps:
/// 1. Line 1 is a well-formed, canonical header carrying exactly one key (certificate or public key).
/// 2. With a CA: the header carries a certificate that chains to that CA alone (no revocation check), valid when the
///    head says it was signed, and names the party as SAN URI <c>urn:securecompute:party:&lt;party&gt;</c>.
/// 3. Each entry line: well-formed, of the header's party, seq one more than the last (0 first), prev the last entry's
///    hash, hash the SHA-256 of its canonical body, sig a valid signature of that hash by the header's key, and the
///    line in canonical form.
/// 4. A head follows the entries and ends the file (none: the file was cut short); it is canonical, of the party,
///    signed by the header's key, and its count and last hash match the entries.
/// </remarks>
public static class AuditVerifier
{
    /// <summary>Verifies <paramref name="lines"/>; with <paramref name="ca"/>, also who signed them.</summary>
    public static AuditVerification Verify(IReadOnlyList<string> lines, X509Certificate2? ca)
    {
        // 1. The header.
        if (lines.Count == 0)
        {
            return AuditVerification.Failed(1, "the file is empty: it has no header");
        }
        AuditHeader header;
        try
        {
            header = AuditHeader.Parse(lines[0]);
        }
        catch (FormatException e)
        {
            return AuditVerification.Failed(1, $"the header is not well-formed: {e.Message}");
        }
        if (header.ToLine() != lines[0])
        {
            return AuditVerification.Failed(1, "the header is not in canonical form", header.Party);
        }
        AuditPublicKey key;
        try
        {
            key = AuditPublicKey.From(header.Certificate, header.PublicKey);
        }
        catch (FormatException e)
        {
            return AuditVerification.Failed(1, $"the header's key is unusable: {e.Message}", header.Party);
        }
        using (key)
        {
            // 2. Who signed.
            if (ca is not null && CheckSigner(key, header.Party, ca, SignedAt(lines)) is { } untrusted)
            {
                return AuditVerification.Failed(1, untrusted, header.Party);
            }
            // 3. The entries.
            string previous = AuditJson.ZeroHash;
            long count = 0;
            int index = 1;
            for (; index < lines.Count && !IsHead(lines[index]); index++)
            {
                AuditEntry entry;
                try
                {
                    entry = AuditEntry.Parse(lines[index]);
                }
                catch (FormatException e)
                {
                    return AuditVerification.Failed(index + 1, $"not a well-formed entry: {e.Message}", header.Party);
                }
                if (CheckEntry(entry, lines[index], header.Party, count, previous, key) is { } problem)
                {
                    return AuditVerification.Failed(index + 1, problem, header.Party);
                }
                previous = entry.Hash;
                count++;
            }
            // 4. The head.
            if (index == lines.Count)
            {
                return AuditVerification.Failed(index + 1, "the file ends without a signed head: it was cut short", header.Party);
            }
            AuditHead head;
            try
            {
                head = AuditHead.Parse(lines[index]);
            }
            catch (FormatException e)
            {
                return AuditVerification.Failed(index + 1, $"the head is not well-formed: {e.Message}", header.Party);
            }
            if (CheckHead(head, lines[index], header.Party, count, previous, key) is { } wrong)
            {
                return AuditVerification.Failed(index + 1, wrong, header.Party);
            }
            if (index + 1 < lines.Count)
            {
                return AuditVerification.Failed(index + 2, "a line follows the signed head", header.Party);
            }
            return new AuditVerification(true, 0, null, header.Party, count, head.Time);
        }
    }

    /// <summary>Why an entry fails step 3, or null if it holds.</summary>
    /// <param name="entry">The parsed entry.</param>
    /// <param name="line">The line it was read from.</param>
    /// <param name="party">The trail's party.</param>
    /// <param name="seq">The seq it must have.</param>
    /// <param name="previous">The previous entry's hash (64 zeros for the first).</param>
    /// <param name="key">The header's key.</param>
    public static string? CheckEntry(AuditEntry entry, string line, string party, long seq, string previous, AuditPublicKey key)
    {
        if (entry.Party != party)
        {
            return "the entry names another party than the header";
        }
        if (entry.Seq != seq)
        {
            return $"seq is not {seq}: an entry is missing, moved or duplicated";
        }
        if (entry.Prev != previous)
        {
            return "prev is not the previous entry's hash: the chain is broken here";
        }
        if (!AuditJson.IsHash(entry.Hash) || entry.ComputeHash() != entry.Hash)
        {
            return "the hash does not match the entry's content: the entry was altered";
        }
        if (entry.Sig.Length == 0)
        {
            return "the entry is not signed";
        }
        if (!key.VerifyHash(Convert.FromHexString(entry.Hash), entry.Sig))
        {
            return "the entry's signature does not verify against the header's key";
        }
        return entry.ToLine() != line ? "the entry is not in canonical form" : null;
    }

    private static string? CheckHead(AuditHead head, string line, string party, long count, string last, AuditPublicKey key)
    {
        if (head.Party != party)
        {
            return "the head names another party than the header";
        }
        if (head.Sig.Length == 0)
        {
            return "the head is not signed";
        }
        if (!key.VerifyData(head.Body(), head.Sig))
        {
            return "the head's signature does not verify against the header's key";
        }
        if (head.ToLine() != line)
        {
            return "the head is not in canonical form";
        }
        if (head.Count != count)
        {
            return "the head's count does not match the entries: entries were added or removed";
        }
        return head.Last != last ? "the head's last hash is not the last entry's" : null;
    }

    private static string? CheckSigner(AuditPublicKey key, string party, X509Certificate2 ca, DateTimeOffset? signedAt)
    {
        if (key.Certificate is not { } certificate)
        {
            return "the header carries no certificate, so it cannot be checked against the CA";
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = (signedAt ?? DateTimeOffset.UtcNow).UtcDateTime;
        if (!chain.Build(certificate) || !chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span))
        {
            return "the header's certificate does not chain to the given CA";
        }
        return PartyCertificateName.Names(certificate, party) ? null : $"the header's certificate does not name party '{party}'";
    }

    /// <summary>When the head (the last line, if it is one) says it was signed; the CA check uses that time.</summary>
    private static DateTimeOffset? SignedAt(IReadOnlyList<string> lines)
    {
        try
        {
            return lines.Count > 1 && IsHead(lines[^1]) ? AuditHead.Parse(lines[^1]).Time : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool IsHead(string line) => line.StartsWith(AuditHead.LineStart, StringComparison.Ordinal);
}
