using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SecureCompute.Grains.Audit;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Tests.Audit;

/// <summary>The audit-log grain in an in-process cluster: what goes in comes out verifiable, exactly, and nothing else.</summary>
public sealed class AuditLogGrainTests(AuditClusterFixture fixture) : IClassFixture<AuditClusterFixture>
{
    private static readonly string[] EntryProperties = { "seq", "time", "party", "kind", "session", "fields", "prev", "hash", "sig" };

    private IGrainFactory Grains => fixture.Cluster.Grains;

    [Fact]
    public async Task AnExportVerifiesAndHoldsExactlyTheAppendedRecords()
    {
        string party = AuditClusterFixture.LocalParty;
        IAuditLogGrain log = fixture.GrainsOf(party).GetGrain<IAuditLogGrain>(party);
        int before = (await ExportAsync(party)).Length - 2;
        AuditRecord[] records = Enumerable.Range(0, Random.Shared.Next(3, 9)).Select(_ => AuditTrails.RandomRecord()).ToArray();
        foreach (AuditRecord record in records)
        {
            await log.AppendAsync(record);
        }
        string[] lines = await ExportAsync(party);
        AuditVerification result = AuditVerifier.Verify(lines, null);
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(before + records.Length, result.Entries);
        Assert.Null(AuditHeader.Parse(lines[0]).Certificate);
        string[] mine = lines[(before + 1)..^1];
        Assert.Equal(records.Length, mine.Length);
        for (int i = 0; i < records.Length; i++)
        {
            using JsonDocument document = JsonDocument.Parse(mine[i]);
            Assert.Equal(EntryProperties, document.RootElement.EnumerateObject().Select(p => p.Name));
            AuditEntry entry = AuditEntry.Parse(mine[i]);
            Assert.Equal(before + i, entry.Seq);
            Assert.Equal(party, entry.Party);
            Assert.Equal(records[i].Kind, entry.Kind);
            Assert.Equal(records[i].Session, entry.Session);
            Assert.Equal(records[i].Fields, entry.Fields);
        }
    }

    [Fact]
    public async Task TheTrailSurvivesDeactivationAndContinuesItsChain()
    {
        string party = AuditClusterFixture.LocalParty;
        IAuditLogGrain log = fixture.GrainsOf(party).GetGrain<IAuditLogGrain>(party);
        await log.AppendAsync(AuditTrails.RandomRecord());
        string[] first = await ExportAsync(party);
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await log.AppendAsync(AuditTrails.RandomRecord());
        string[] second = await ExportAsync(party);
        Assert.True(AuditVerifier.Verify(second, null).Ok);
        Assert.Equal(first[0], second[0]);   // the same local key, unsealed from state
        Assert.Equal(first[1..^1], second[1..^2]);
    }

    [Fact]
    public async Task ACertifiedSilosTrailVerifiesUnderItsCaOnly()
    {
        string party = AuditClusterFixture.CertifiedParty;
        await fixture.GrainsOf(party).GetGrain<IAuditLogGrain>(party).AppendAsync(AuditTrails.RandomRecord());
        string[] lines = await ExportAsync(party);
        Assert.NotNull(AuditHeader.Parse(lines[0]).Certificate);
        AuditVerification result = AuditVerifier.Verify(lines, fixture.Authority);
        Assert.True(result.Ok, result.Reason);
        using X509Certificate2 other = AuditCertificates.Authority("Audit cluster CA");
        AuditVerification foreign = AuditVerifier.Verify(lines, other);
        Assert.False(foreign.Ok);
        Assert.Equal(1, foreign.Line);
    }

    public static TheoryData<string, AuditRecord?> BadRecords()
    {
        var tooMany = Enumerable.Range(0, AuditFields.MaxFields + 1).Select(i => ($"f{i}", "1")).ToArray();
        return new TheoryData<string, AuditRecord?>
        {
            { "argument 'record' is required", null },
            { "fields are null", new AuditRecord(AuditEventKind.RowsRead, null, null!) },
            { "at most 16", new AuditRecord(AuditEventKind.RowsRead, null, AuditFields.Of(tooMany)) },
            { "longer than 256", new AuditRecord(AuditEventKind.RowsRead, null, AuditFields.Of(("rule", new string('x', 257)))) },
            { "null value", new AuditRecord(AuditEventKind.RowsRead, null, AuditFields.Of(("rule", null!))) },
            { "null, empty", new AuditRecord(AuditEventKind.RowsRead, null, AuditFields.Of(("", "1"))) },
            { "named twice", new AuditRecord(AuditEventKind.RowsRead, null, AuditFields.Of(("rows", "1"), ("rows", "2"))) },
            { "not a known event", new AuditRecord((AuditEventKind)99, null, AuditFields.Of()) },
        };
    }

    [Theory]
    [MemberData(nameof(BadRecords))]
    public async Task ABadRecordIsRefusedAndNothingIsAppended(string expected, AuditRecord? record)
    {
        string party = AuditClusterFixture.LocalParty;
        int before = (await ExportAsync(party)).Length;
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => fixture.GrainsOf(party).GetGrain<IAuditLogGrain>(party).AppendAsync(record!));
        Assert.Contains(expected, error.Message);
        Assert.Equal(before, (await ExportAsync(party)).Length);
    }

    [Fact]
    public async Task AFieldAtTheLimitsIsAccepted()
    {
        var fields = Enumerable.Range(0, AuditFields.MaxFields).Select(i => ($"f{i}", new string((char)('a' + i), AuditFields.MaxValueLength))).ToArray();
        await fixture.GrainsOf(AuditClusterFixture.LocalParty).GetGrain<IAuditLogGrain>(AuditClusterFixture.LocalParty).AppendAsync(new AuditRecord(AuditEventKind.Release, "s", AuditFields.Of(fields)));
        Assert.True(AuditVerifier.Verify(await ExportAsync(AuditClusterFixture.LocalParty), null).Ok);
    }

    [Fact]
    public async Task WithTheTrailOffARecordIsStillValidatedButNoneIsKept()
    {
        string party = AuditClusterFixture.UnauditedParty;
        // Appends come only from the party's own silo.
        IAuditLogGrain log = fixture.Cluster.Hosts[2].Services.GetRequiredService<IGrainFactory>().GetGrain<IAuditLogGrain>(party);
        var refused = await Assert.ThrowsAnyAsync<ArgumentException>(() => log.AppendAsync(new AuditRecord((AuditEventKind)99, null, AuditFields.Of())));
        Assert.Contains("not a known event", refused.Message);
        foreach (AuditRecord record in Enumerable.Range(0, Random.Shared.Next(1, 5)).Select(_ => AuditTrails.RandomRecord()))
        {
            await log.AppendAsync(record);
        }
        string[] lines = await ExportAsync(party);
        AuditVerification result = AuditVerifier.Verify(lines, null);
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(0, result.Entries);
        Assert.Equal(2, lines.Length);   // the header and the signed head only
    }

    [Fact]
    public async Task AnExportNeedsACredentialForThisPartysExport()
    {
        string party = AuditClusterFixture.LocalParty;
        IAuditLogGrain log = fixture.GrainsOf(party).GetGrain<IAuditLogGrain>(party);
        var missing = await Assert.ThrowsAnyAsync<ArgumentException>(() => log.ExportAsync(null!));
        Assert.Contains("argument 'credential' is required", missing.Message);
        var purpose = await Assert.ThrowsAnyAsync<ArgumentException>(() => log.ExportAsync(ClientCredential.Declaring(ClientPurpose.FetchResult, party, null)));
        Assert.Contains("ExportAudit", purpose.Message);
        var subject = await Assert.ThrowsAnyAsync<ArgumentException>(() => log.ExportAsync(ClientCredential.Declaring(ClientPurpose.ExportAudit, "other", null)));
        Assert.Contains("another subject", subject.Message);
    }

    private Task<string[]> ExportAsync(string party) =>
        fixture.GrainsOf(party).GetGrain<IAuditLogGrain>(party).ExportAsync(ClientCredential.Declaring(ClientPurpose.ExportAudit, party, OperatorIdentity.TryParse($"{party}:auditor")));

    /// <summary>Only the party's own silo appends to its trail: another party's silo is refused at the call boundary, and nothing is appended.</summary>
    [Fact]
    public async Task AnotherPartysSiloCannotAppend()
    {
        string party = AuditClusterFixture.CertifiedParty;
        int before = (await ExportAsync(party)).Length;
        var refused = await Assert.ThrowsAsync<CallRefusedException>(() =>
            fixture.GrainsOf(AuditClusterFixture.LocalParty).GetGrain<IAuditLogGrain>(party).AppendAsync(AuditTrails.RandomRecord()));
        Assert.Equal("IAuditLogGrain.AppendAsync", refused.Method);
        Assert.Equal(before, (await ExportAsync(party)).Length);
    }
}
