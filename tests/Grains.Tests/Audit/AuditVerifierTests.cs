using System.Security.Cryptography.X509Certificates;
using SecureCompute.Grains.Audit;
using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Tests.Audit;

/// <summary>
/// The export format and its verifier on fresh random trails: an intact export verifies, and every kind of tampering
/// fails at the line it touched. Lines are numbered from 1: the header is line 1, entry k is line k + 2.
/// </summary>
public sealed class AuditVerifierTests
{
    private const string Party = "hospital-1";

    [Fact]
    public void AnIntactExportVerifiesAndEveryLineIsCanonical()
    {
        using AuditSigner signer = AuditTrails.LocalSigner();
        string[] lines = AuditTrails.Export(Party, signer, Random.Shared.Next(3, 12), out AuditRecord[] records);
        AuditVerification result = AuditVerifier.Verify(lines, null);
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(records.Length, result.Entries);
        Assert.Equal(Party, result.Party);
        Assert.Equal(records.Length + 2, lines.Length);
        Assert.Equal(AuditHeader.Parse(lines[0]).ToLine(), lines[0]);
        Assert.All(lines[1..^1], line => Assert.Equal(line, AuditEntry.Parse(line).ToLine()));
        Assert.Equal(lines[^1], AuditHead.Parse(lines[^1]).ToLine());
        Assert.Equal(AuditJson.ZeroHash, AuditEntry.Parse(lines[1]).Prev);
    }

    [Fact]
    public void AnEmptyTrailVerifies()
    {
        using AuditSigner signer = AuditTrails.LocalSigner();
        string[] lines = new AuditChain(Party, signer).Export(DateTimeOffset.UtcNow);
        Assert.Equal(2, lines.Length);
        Assert.True(AuditVerifier.Verify(lines, null).Ok);
    }

    [Fact]
    public void AnEditedFieldValueFailsAtItsLine()
    {
        string[] lines = ExportWithFields(out int k);
        AuditEntry entry = AuditEntry.Parse(lines[k + 1]);
        var fields = entry.Fields.ToArray();
        int f = Random.Shared.Next(fields.Length);
        fields[f] = new KeyValuePair<string, string>(fields[f].Key, fields[f].Value + "1");
        lines[k + 1] = (entry with { Fields = fields }).ToLine();
        AssertFails(lines, k + 2, "altered");
    }

    [Fact]
    public void ARemovedEntryFailsAtTheLineWhereItWas()
    {
        string[] lines = Export(out int n);
        int k = Random.Shared.Next(0, n - 1);
        AssertFails(lines.Where((_, i) => i != k + 1).ToArray(), k + 2, "seq");
    }

    [Fact]
    public void RemovingTheLastEntryFailsAtTheSignedHead()
    {
        string[] lines = Export(out int n);
        AssertFails(lines.Where((_, i) => i != n).ToArray(), n + 1, "count");
    }

    [Fact]
    public void TwoSwappedEntriesFailAtTheFirst()
    {
        string[] lines = Export(out int n);
        int k = Random.Shared.Next(0, n - 1);
        (lines[k + 1], lines[k + 2]) = (lines[k + 2], lines[k + 1]);
        AssertFails(lines, k + 2, "seq");
    }

    [Fact]
    public void AnAppendedEntrySignedByAnotherKeyFailsAtItsLine()
    {
        string[] lines = Export(out int n);
        using AuditSigner other = AuditTrails.LocalSigner();
        string[] tampered = InsertBeforeHead(lines, Forged(lines, other));
        AssertFails(tampered, n + 2, "signature does not verify");
    }

    [Fact]
    public void AnAppendedUnsignedEntryFailsAtItsLine()
    {
        string[] lines = Export(out int n);
        using AuditSigner other = AuditTrails.LocalSigner();
        string forged = Forged(lines, other);
        string unsigned = forged[..forged.IndexOf(",\"sig\":", StringComparison.Ordinal)] + "}";
        AssertFails(InsertBeforeHead(lines, unsigned), n + 2, "not signed");
    }

    [Fact]
    public void AnEntryAfterTheHeadFails()
    {
        string[] lines = Export(out int n);
        using AuditSigner other = AuditTrails.LocalSigner();
        AssertFails(lines.Append(Forged(lines, other)).ToArray(), n + 3, "follows the signed head");
    }

    [Fact]
    public void ATruncatedTailFailsAgainstTheMissingHead()
    {
        string[] lines = Export(out int n);
        // The last entry and the head dropped: the file ends where a head should be.
        AssertFails(lines[..^2], n + 1, "cut short");
        // Only the head dropped.
        AssertFails(lines[..^1], n + 2, "cut short");
    }

    [Fact]
    public void AHeadWithAnEditedCountFails()
    {
        string[] lines = Export(out int n);
        lines[^1] = lines[^1].Replace($"\"count\":{n},", $"\"count\":{n - 1},", StringComparison.Ordinal);
        AssertFails(lines, n + 2, "head's signature");
    }

    [Fact]
    public void AnEditedHeaderKeyFailsAtTheFirstEntry()
    {
        string[] lines = Export(out _);
        using AuditSigner other = AuditTrails.LocalSigner();
        lines[0] = new AuditHeader(Party, null, other.PublicKey).ToLine();
        AssertFails(lines, 2, "signature does not verify");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ACertificateSignerVerifiesUnderItsCaOnly(bool rsa)
    {
        using X509Certificate2 ca = AuditCertificates.Authority("Audit test CA");
        using X509Certificate2 foreign = AuditCertificates.Authority("Audit test CA");
        using X509Certificate2 certificate = AuditCertificates.Party(ca, Party, rsa);
        using AuditSigner signer = AuditSigner.ForCertificate(certificate);
        string[] lines = AuditTrails.Export(Party, signer, Random.Shared.Next(2, 6), out AuditRecord[] records);
        Assert.Null(AuditHeader.Parse(lines[0]).PublicKey);
        AuditVerification result = AuditVerifier.Verify(lines, ca);
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(records.Length, result.Entries);
        Assert.True(AuditVerifier.Verify(lines, null).Ok);
        AssertFails(lines, 1, "does not chain to the given CA", foreign);
    }

    [Fact]
    public void ACertificateNamingAnotherPartyFails()
    {
        using X509Certificate2 ca = AuditCertificates.Authority("Audit test CA");
        using X509Certificate2 certificate = AuditCertificates.Party(ca, "hospital-2");
        using AuditSigner signer = AuditSigner.ForCertificate(certificate);
        string[] lines = AuditTrails.Export(Party, signer, 3, out _);
        Assert.True(AuditVerifier.Verify(lines, null).Ok);
        AssertFails(lines, 1, "does not name party", ca);
    }

    [Fact]
    public void ALocalKeyCannotBeCheckedAgainstACa()
    {
        using X509Certificate2 ca = AuditCertificates.Authority("Audit test CA");
        AssertFails(Export(out _), 1, "no certificate", ca);
    }

    [Fact]
    public void ATrailStoredUnderAnOldKeyIsReSignedWithTheNewAndTamperedStorageIsRefused()
    {
        using AuditSigner old = AuditTrails.LocalSigner();
        using AuditSigner current = AuditTrails.LocalSigner();
        var chain = new AuditChain(Party, old);
        for (int i = 0; i < 4; i++)
        {
            chain.Append(AuditTrails.RandomRecord(), DateTimeOffset.UtcNow);
        }
        string[] stored = chain.Lines();
        using AuditPublicKey oldKey = old.Verifier();
        AuditChain loaded = AuditChain.Load(Party, current, stored, oldKey, out int resigned);
        Assert.Equal(4, resigned);
        Assert.Equal(chain.Entries.Select(e => e.Hash), loaded.Entries.Select(e => e.Hash));
        loaded.Append(AuditTrails.RandomRecord(), DateTimeOffset.UtcNow);
        string[] export = loaded.Export(DateTimeOffset.UtcNow);
        Assert.Equal(current.PublicKey, AuditHeader.Parse(export[0]).PublicKey);
        Assert.True(AuditVerifier.Verify(export, null).Ok);
        // Storage rewritten by someone without the old key: refused, naming the entry.
        AuditEntry second = AuditEntry.Parse(stored[1]);
        stored[1] = (second with { Session = "other" }).ToLine();
        var error = Assert.Throws<InvalidDataException>(() => AuditChain.Load(Party, current, stored, oldKey, out _));
        Assert.Contains("entry 1", error.Message);
    }

    private static string[] Export(out int count)
    {
        count = Random.Shared.Next(4, 12);
        using AuditSigner signer = AuditTrails.LocalSigner();
        return AuditTrails.Export(Party, signer, count, out _);
    }

    /// <summary>An export with at least one entry that has fields; <paramref name="k"/> is such an entry's index.</summary>
    private static string[] ExportWithFields(out int k)
    {
        while (true)
        {
            string[] lines = Export(out int n);
            int[] withFields = Enumerable.Range(0, n).Where(i => AuditEntry.Parse(lines[i + 1]).Fields.Count > 0).ToArray();
            if (withFields.Length > 0)
            {
                k = withFields[Random.Shared.Next(withFields.Length)];
                return lines;
            }
        }
    }

    /// <summary>A well-linked next entry (seq, prev, hash all right) signed by <paramref name="signer"/>.</summary>
    private static string Forged(string[] lines, AuditSigner signer)
    {
        AuditEntry last = AuditEntry.Parse(lines[^2]);
        var entry = new AuditEntry(last.Seq + 1, last.Time.AddSeconds(1), Party, AuditEventKind.Release, last.Session,
            AuditFields.Of(("kind", "Model")), last.Hash, "", "");
        string hash = entry.ComputeHash();
        return (entry with { Hash = hash, Sig = signer.SignHash(Convert.FromHexString(hash)) }).ToLine();
    }

    private static string[] InsertBeforeHead(string[] lines, string entry) => lines[..^1].Append(entry).Append(lines[^1]).ToArray();

    private static void AssertFails(string[] lines, int line, string reason, X509Certificate2? ca = null)
    {
        AuditVerification result = AuditVerifier.Verify(lines, ca);
        Assert.False(result.Ok);
        Assert.True(line == result.Line, $"expected line {line}, got {result.Line}: {result.Reason}");
        Assert.Contains(reason, result.Reason);
    }
}
