using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCompute.Client.Audit;
using SecureCompute.Grains.Audit;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Silo.Embedded;
using SecureCompute.Silo.Security;

namespace SecureCompute.Client.Tests;

/// <summary>`audit verify` as a user runs it (exit 0 / 1 with the line / 2), and `audit export`'s file writing against an in-process silo.</summary>
public sealed class AuditCommandTests : IDisposable
{
    private const string Party = "hospital-1";
    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-audit-").FullName;

    [Fact]
    public void AnIntactTrailExitsZeroWithItsSummary()
    {
        int entries = Random.Shared.Next(2, 9);
        string file = WriteTrail(LocalSigner(), entries);
        (int exit, string output, _) = Run("audit", "verify", file);
        Assert.Equal(0, exit);
        Assert.StartsWith($"ok: {entries} entries, party {Party}, head signed at ", output);
    }

    [Fact]
    public void ATamperedTrailExitsOneNamingTheLine()
    {
        string file = WriteTrail(LocalSigner(), 5);
        string[] lines = File.ReadAllLines(file);
        (lines[2], lines[3]) = (lines[3], lines[2]);
        File.WriteAllLines(file, lines);
        (int exit, _, string error) = Run("audit", "verify", file);
        Assert.Equal(1, exit);
        Assert.StartsWith("error: line 3: ", error);
    }

    [Fact]
    public void ACertificateSignedTrailVerifiesUnderItsCaAndFailsUnderAnother()
    {
        DevelopmentCertificates.Write(Path.Combine(folder, "ours"), new[] { Party });
        DevelopmentCertificates.Write(Path.Combine(folder, "theirs"), new[] { Party }, caName: "Foreign CA");
        using X509Certificate2 certificate = X509Certificate2.CreateFromPemFile(Path.Combine(folder, "ours", $"{Party}.crt"), Path.Combine(folder, "ours", $"{Party}.key"));
        string file = WriteTrail(AuditSigner.ForCertificate(certificate), 3);
        Assert.Equal(0, Run("audit", "verify", file, "--ca", Path.Combine(folder, "ours", "ca.crt")).Exit);
        (int exit, _, string error) = Run("audit", "verify", file, "--ca", Path.Combine(folder, "theirs", "ca.crt"));
        Assert.Equal(1, exit);
        Assert.StartsWith("error: line 1: ", error);
    }

    [Fact]
    public void AnUnreadableFileOrCaExitsTwo()
    {
        (int exit, _, string error) = Run("audit", "verify", Path.Combine(folder, "missing.jsonl"));
        Assert.Equal(2, exit);
        Assert.StartsWith("error: cannot read", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        string file = WriteTrail(LocalSigner(), 1);
        string badCa = Path.Combine(folder, "bad-ca.pem");
        File.WriteAllText(badCa, "not a certificate\n");
        (exit, _, error) = Run("audit", "verify", file, "--ca", badCa);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: cannot read the CA certificate", error);
    }

    [Fact]
    public async Task AnExportIsWrittenWholeAndVerifies()
    {
        SiloIdentity[] identities = { SiloIdentity.ForParty(Party, _ => throw new IOException("no rows in this test")) };
        await using EmbeddedCluster cluster = await EmbeddedCluster.StartAsync(identities);
        IAuditLogGrain log = cluster.Grains.GetGrain<IAuditLogGrain>(Party);
        int count = Random.Shared.Next(1, 6);
        for (int i = 0; i < count; i++)
        {
            await log.AppendAsync(new AuditRecord(AuditEventKind.RowsRead, $"s-{Guid.NewGuid():N}", AuditFields.Of(("rows", $"{Random.Shared.Next(1, 1000)}"))));
        }
        string file = Path.Combine(folder, "export", "trail.jsonl");
        var credential = ClientCredential.Declaring(ClientPurpose.ExportAudit, Party, OperatorIdentity.TryParse($"{Party}:auditor"));
        Assert.Equal(count, await AuditExport.WriteAsync(cluster.Grains, Party, credential, file));
        Assert.Equal(new[] { "trail.jsonl" }, Directory.GetFiles(Path.GetDirectoryName(file)!).Select(Path.GetFileName));
        (int exit, string output, _) = Run("audit", "verify", file);
        Assert.Equal(0, exit);
        Assert.StartsWith($"ok: {count} entries, party {Party}", output);
        // A refused export leaves the previous file as it was and no temporary one.
        string before = File.ReadAllText(file);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => AuditExport.WriteAsync(cluster.Grains, Party, credential with { Purpose = ClientPurpose.Start }, file));
        Assert.Equal(before, File.ReadAllText(file));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(file)!));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static AuditSigner LocalSigner() => AuditSigner.ForKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    private string WriteTrail(AuditSigner signer, int entries)
    {
        using (signer)
        {
            var chain = new AuditChain(Party, signer);
            for (int i = 0; i < entries; i++)
            {
                chain.Append(new AuditRecord(AuditEventKind.Release, $"s-{Guid.NewGuid():N}", AuditFields.Of(("kind", "Loss"), ("round", $"{Random.Shared.Next(100)}"))), DateTimeOffset.UtcNow);
            }
            string file = Path.Combine(folder, $"trail-{Guid.NewGuid():N}.jsonl");
            File.WriteAllLines(file, chain.Export(DateTimeOffset.UtcNow));
            return file;
        }
    }

    private static (int Exit, string Output, string Error) Run(params string[] args) => CliRun.Run(args);
}
