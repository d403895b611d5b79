using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Tests.Governance;

/// <summary>
/// Each party's silo enforces its own policy on an in-process cluster: every rule refuses and admits, the most
/// restrictive party wins, refusals come before any row is read and any seed is drawn (as the silos record it), and
/// manual approval waits for the right operator — approve, reject, timeout.
/// </summary>
[Collection(GovernanceCollection.Name)]
public sealed class PolicyEnforcementTests(GovernanceFixture fixture)
{
    private static int sessions;

    private static string NewSession(string name) => $"{name}-{Interlocked.Increment(ref sessions)}-{Guid.NewGuid():N}"[..28];

    private IGrainFactory Grains => fixture.Cluster.Grains;

    /// <summary>
    /// hospital-2 allows at most 3 epochs and batches of at least 16: a session asking for 5 epochs of batch 8 is refused
    /// by hospital-2 naming both rules — and by nobody else (hospital-1 admits anything) — before any silo read a row or
    /// the dealer drew a seed; the same session within hospital-2's limits then runs.
    /// </summary>
    [Fact]
    public async Task TheMostRestrictivePartyRefusesNamingItsRulesBeforeAnyRowIsReadOrSeedDrawn()
    {
        var spec = new SessionSpec(NewSession("limits"), new[] { "hospital-1", "hospital-2" }, "benign", Epochs: 5, BatchSize: 8);
        int reads1 = fixture.ReadsOf("hospital-1"), reads2 = fixture.ReadsOf("hospital-2");
        var refused = await Assert.ThrowsAsync<SessionFailedException>(() => SessionClient.RunAsync(Grains, spec, client: GovernanceFixture.Operator("hospital-1", "bob")));
        Assert.Contains("refused by party 'hospital-2'", refused.Message);
        Assert.Contains("maxEpochs", refused.Message);
        Assert.Contains("minBatchSize", refused.Message);
        Assert.DoesNotContain("hospital-1'", refused.Message.Replace("starter 'hospital-1", "", StringComparison.Ordinal));

        // What the silos record: no row read, no party session grain and no dealer ever activated for the session.
        Assert.Equal(reads1, fixture.ReadsOf("hospital-1"));
        Assert.Equal(reads2, fixture.ReadsOf("hospital-2"));
        var management = Grains.GetGrain<IManagementGrain>(0);
        Assert.Equal(0, await management.GetGrainActivationCount((GrainReference)Grains.GetGrain<IDealerGrain>(spec.Session)));
        foreach (string party in spec.Parties)
        {
            Assert.Equal(0, await management.GetGrainActivationCount((GrainReference)Grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of(spec.Session, party))));
        }
        var trail2 = await fixture.TrailAsync("hospital-2");
        Assert.Contains(trail2, e => e.Kind == nameof(AuditEventKind.SessionRefused) && e.Session == spec.Session && e.Fields["rules"].Contains("maxEpochs"));
        Assert.DoesNotContain(trail2, e => e.Kind == nameof(AuditEventKind.RowsRead) && e.Session == spec.Session);
        Assert.DoesNotContain(await fixture.TrailAsync("hospital-1"), e => e.Kind == nameof(AuditEventKind.RowsRead) && e.Session == spec.Session);

        // Control: within hospital-2's limits the same parties and starter train, and the silos read their rows.
        var admitted = spec with { Session = NewSession("limits-ok"), Epochs = 3, BatchSize = 16 };
        SessionReport report = await SessionClient.RunAsync(Grains, admitted, client: GovernanceFixture.Operator("hospital-1", "bob"));
        Assert.Equal(3, report.EpochLoss.Length);
        Assert.NotEmpty(report.Weights);
        Assert.True(fixture.ReadsOf("hospital-2") > reads2);
    }

    /// <summary>The starter, release and label rules each refuse at the silo, naming the party and the rule (every rule is unit-tested in Policy/).</summary>
    [Theory]
    [InlineData("starter", "hospital-3", "eve", null, null, null)]
    [InlineData("starter", null, null, null, null, null)]
    [InlineData("release", "hospital-1", "bob", "hospital-3:eve", null, null)]
    [InlineData("label", "hospital-1", "bob", null, null, null)]
    [InlineData("model", "hospital-1", "bob", null, null, 42)]
    public async Task EachRuleRefusesNamingThePartyAndTheRule(string rule, string? party, string? name, string? recipient, string? feature, int? model)
    {
        var spec = new SessionSpec(NewSession(rule), new[] { "hospital-1", "hospital-2" }, rule == "label" ? "mean_radius" : "benign", Epochs: 1, BatchSize: 16,
            Recipients: recipient is null ? null : new[] { "hospital-1", recipient }, Features: feature is null ? null : new[] { feature });
        if (model is not null)
        {
            // A model the enum does not define (a client may send any number) fails the spec's own check first, naming the models there are.
            var bad = await Assert.ThrowsAsync<SessionFailedException>(() => SessionClient.RunAsync(Grains, spec with { Model = (SessionModel)model.Value }, client: GovernanceFixture.Operator("hospital-1", "bob")));
            Assert.Contains("model must be 'logistic', 'linear', 'softmax', 'mlp', not 42", bad.Message);
            return;
        }
        ClientSigner client = party is null ? ClientSigner.Anonymous : GovernanceFixture.Operator(party, name!);
        var refused = await Assert.ThrowsAsync<SessionFailedException>(() => SessionClient.RunAsync(Grains, spec, client: client));
        Assert.Contains("refused by party 'hospital-2'", refused.Message);
        Assert.Contains($"rule {rule}", refused.Message);
    }

    /// <summary>A silo without --allow-reproducible-seeds refuses a spec that carries one, naming itself.</summary>
    [Fact]
    public async Task AProductionSiloRefusesReproducibleSeeds()
    {
        var spec = new SessionSpec(NewSession("seeded"), new[] { "hospital-1", "hospital-2" }, "benign", Epochs: 1, BatchSize: 16, ReproducibleSeed: 7);
        var refused = await Assert.ThrowsAsync<SessionFailedException>(() => SessionClient.RunAsync(Grains, spec, client: GovernanceFixture.Operator("hospital-1", "bob")));
        Assert.Contains("refused by party 'hospital-1': reproducible seeds", refused.Message);
        Assert.Contains("refused by party 'hospital-2': reproducible seeds", refused.Message);
    }

    /// <summary>
    /// hospital-3 wants its operator carol's approval: the session waits; the pending list shows it to hospital-3's
    /// operators only; hospital-2's operator and a hospital-3 operator who is no approver cannot decide; carol approves
    /// and the session trains.
    /// </summary>
    /// <summary>
    /// A session on some columns only trains on those columns, and each party reads its file once: the rows its party
    /// grain checked and announced are the rows its worker trains on.
    /// </summary>
    [Fact]
    public async Task ASessionOnChosenColumnsTrainsOnThemReadingEachFileOnce()
    {
        string[] features = ["mean_radius", "mean_texture", "mean_concavity", "worst_area"];
        var spec = new SessionSpec(NewSession("columns"), new[] { "hospital-1", "hospital-2" }, "benign", Epochs: 1, BatchSize: 32, Features: features);
        int reads1 = fixture.ReadsOf("hospital-1"), reads2 = fixture.ReadsOf("hospital-2");

        SessionReport report = await SessionClient.RunAsync(Grains, spec, client: GovernanceFixture.Operator("hospital-1", "bob")).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(features, report.FeatureNames);
        Assert.Equal(features.Length, report.Means.Length);
        Assert.Single(report.EpochLoss);
        Assert.Equal(reads1 + 1, fixture.ReadsOf("hospital-1"));
        Assert.Equal(reads2 + 1, fixture.ReadsOf("hospital-2"));
    }

    [Fact]
    public async Task ManualApprovalWaitsForTheRightOperator()
    {
        var spec = new SessionSpec(NewSession("approve"), new[] { "hospital-1", "hospital-3" }, "benign", Epochs: 1);
        Task<SessionReport> run = SessionClient.RunAsync(Grains, spec, client: GovernanceFixture.Operator("hospital-1", "bob"));
        IPartyGrain hospital3 = Grains.GetGrain<IPartyGrain>("hospital-3");
        PendingSession pending = await WaitPendingAsync(hospital3, spec.Session);
        Assert.Equal("hospital-1:bob", pending.Starter);
        Assert.Equal(SessionState.AwaitingApproval, (await Grains.GetGrain<ITrainingSessionGrain>(spec.Session).GetProgressAsync(Credential("hospital-1", "bob", ClientPurpose.Observe, spec.Session))).State);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => hospital3.PendingAsync(Credential("hospital-2", "bob", ClientPurpose.ListPending, "hospital-3")));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => hospital3.DecideAsync(spec.Session, true, Credential("hospital-2", "bob", ClientPurpose.Approve, spec.Session)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => hospital3.DecideAsync(spec.Session, true, Credential("hospital-3", "dave", ClientPurpose.Approve, spec.Session)));
        // A credential made for another purpose does not count either.
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => hospital3.DecideAsync(spec.Session, true, Credential("hospital-3", "carol", ClientPurpose.Reject, spec.Session)));
        Assert.False(run.IsCompleted);

        await hospital3.DecideAsync(spec.Session, true, Credential("hospital-3", "carol", ClientPurpose.Approve, spec.Session));
        SessionReport report = await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Single(report.EpochLoss);
        Assert.Contains(await fixture.TrailAsync("hospital-3"), e => e.Kind == nameof(AuditEventKind.SessionApproved) && e.Session == spec.Session && e.Fields["by"] == "hospital-3:carol");
    }

    /// <summary>carol rejects: the session fails naming hospital-3 and who rejected it; nobody read a row.</summary>
    [Fact]
    public async Task ARejectionFailsTheSessionNamingTheParty()
    {
        var spec = new SessionSpec(NewSession("reject"), new[] { "hospital-1", "hospital-3" }, "benign", Epochs: 1);
        int reads = fixture.ReadsOf("hospital-1");
        Task<SessionReport> run = SessionClient.RunAsync(Grains, spec, client: GovernanceFixture.Operator("hospital-1", "bob"));
        IPartyGrain hospital3 = Grains.GetGrain<IPartyGrain>("hospital-3");
        await WaitPendingAsync(hospital3, spec.Session);
        await hospital3.DecideAsync(spec.Session, false, Credential("hospital-3", "carol", ClientPurpose.Reject, spec.Session));
        var failed = await Assert.ThrowsAsync<SessionFailedException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("refused by party 'hospital-3': rejected by hospital-3:carol", failed.Message);
        Assert.Equal(reads, fixture.ReadsOf("hospital-1"));
    }

    /// <summary>Nobody decides within hospital-3's 4 s: the session fails naming hospital-3 and the timeout.</summary>
    [Fact]
    public async Task NoDecisionInTimeFailsTheSessionNamingTheParty()
    {
        var spec = new SessionSpec(NewSession("timeout"), new[] { "hospital-1", "hospital-3" }, "benign", Epochs: 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failed = await Assert.ThrowsAsync<SessionFailedException>(() =>
            SessionClient.RunAsync(Grains, spec, client: GovernanceFixture.Operator("hospital-1", "bob")).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"refused by party 'hospital-3': no operator decided within {GovernanceFixture.ApprovalSeconds} s", failed.Message);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(GovernanceFixture.ApprovalSeconds - 0.5), $"failed after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Empty(await Grains.GetGrain<IPartyGrain>("hospital-3").PendingAsync(Credential("hospital-3", "carol", ClientPurpose.ListPending, "hospital-3")));
    }

    private static ClientCredential Credential(string party, string name, ClientPurpose purpose, string subject) =>
        ClientCredential.Declaring(purpose, subject, new OperatorIdentity(party, name));

    private static async Task<PendingSession> WaitPendingAsync(IPartyGrain party, string session)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            PendingSession[] pending = await party.PendingAsync(Credential("hospital-3", "carol", ClientPurpose.ListPending, "hospital-3"));
            if (pending.FirstOrDefault(p => p.Spec.Session == session) is { } found)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, $"session {session} never awaited hospital-3's decision");
            await Task.Delay(50);
        }
    }
}
