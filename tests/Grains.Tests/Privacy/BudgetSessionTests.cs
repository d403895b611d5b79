using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Privacy;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Policy;
using SecureCompute.Silo.Embedded;

namespace SecureCompute.Grains.Tests.Privacy;

/// <summary>
/// Three hospitals with privacy rules, as production silos: hospital-1 has a total of ε = 100 and at most 5 per
/// session, and declares the shipped public bounds of breast cancer; hospital-2 requires DP; hospital-3 has a total
/// of ε = 1.5. Every silo counts its row reads.
/// </summary>
public sealed class BudgetFixture : IAsyncLifetime
{
    public static readonly string[] Hospitals = { "hospital-1", "hospital-2", "hospital-3" };

    public static readonly IReadOnlyDictionary<string, PrivacyRules> Rules = new Dictionary<string, PrivacyRules>
    {
        ["hospital-1"] = new(BudgetEpsilon: 100, BudgetDelta: 1e-2, MaxSessionEpsilon: 5, Bounds: DeclaredBounds()),
        ["hospital-2"] = new(RequireDp: true),
        ["hospital-3"] = new(BudgetEpsilon: 1.5),
    };

    public ConcurrentDictionary<string, int> Reads { get; } = new();

    /// <summary>data/bounds/breast-cancer.csv by feature name.</summary>
    public static Dictionary<string, (double Lower, double Upper)> DeclaredBounds() =>
        RepositoryData.Bounds("breast-cancer").ToDictionary(b => b.Feature, b => (b.Lower, b.Upper));

    public EmbeddedCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        SiloIdentity[] identities = Hospitals.Select(h => SiloIdentity.ForParty(h, label =>
            {
                Reads.AddOrUpdate(h, 1, (_, n) => n + 1);
                return CsvDataset.Load(RepositoryData.File("breast-cancer", h), label);
            }).WithPolicy(PartyPolicy.Permissive(h) with { Privacy = Rules[h] }))
            .Append(SiloIdentity.ForDealer()).ToArray();
        Cluster = await EmbeddedCluster.StartAsync(identities);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public static ClientSigner Operator(string party) => ClientSigner.Declaring(new OperatorIdentity(party, "dpo"));

    public Task<BudgetStatement> ShowAsync(string party) =>
        Cluster.Grains.GetGrain<IPrivacyBudgetGrain>(party).ShowAsync(Operator(party).For(ClientPurpose.ShowBudget, party));

    /// <summary>The kinds of <paramref name="party"/>'s audit entries for <paramref name="session"/>, in order.</summary>
    public async Task<string[]> TrailAsync(string party, string session)
    {
        string[] lines = await Cluster.Grains.GetGrain<IAuditLogGrain>(party)
            .ExportAsync(ClientCredential.Declaring(ClientPurpose.ExportAudit, party, new OperatorIdentity(party, "auditor")));
        return lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("kind", out _) && e.GetProperty("session").GetString() == session)
            .Select(e => e.GetProperty("kind").GetString()!).ToArray();
    }
}

/// <summary>
/// Each party's privacy budget ledger across real sessions: reserved at admission, spent at the DP release, given
/// back on failure, refused before anything is read when it would overspend (concurrent sessions included), kept
/// across a reactivation, audited, and shown only to the party's own operators.
/// </summary>
public sealed class BudgetSessionTests(BudgetFixture fixture) : IClassFixture<BudgetFixture>
{
    private static int sessions;

    private static string NewSession(string name) => $"{name}-{Interlocked.Increment(ref sessions)}-{Guid.NewGuid():N}"[..30];

    private static (double[] Lower, double[] Upper) Bounds()
    {
        var bounds = RepositoryData.Bounds("breast-cancer");
        return (bounds.Select(b => b.Lower).ToArray(), bounds.Select(b => b.Upper).ToArray());
    }

    private static SessionSpec DpSpec(string name, string[] parties, double epsilon, double? sigma = null)
    {
        var (lower, upper) = Bounds();
        return new SessionSpec(NewSession(name), parties, "benign", Epochs: 2, BatchSize: 512, LearningRate: 4,
            Privacy: new SessionPrivacy(epsilon, 1e-5, NoiseMultiplier: sigma, LowerBounds: lower, UpperBounds: upper));
    }

    private Task<SessionReport> RunAsync(SessionSpec spec) =>
        SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: BudgetFixture.Operator(spec.Parties[0]));

    private async Task<BudgetEntry?> EntryAsync(string party, string session) => (await fixture.ShowAsync(party)).Sessions.FirstOrDefault(e => e.Session == session);

    private async Task<BudgetEntry> WaitForAsync(string party, string session, BudgetEntryState state)
    {
        for (int i = 0; i < 100; i++)
        {
            if (await EntryAsync(party, session) is { } entry && entry.State == state)
            {
                return entry;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{party}'s ledger never showed {session} as {state}: {await EntryAsync(party, session)}");
    }

    /// <summary>A DP session spends its ε on every party; the ledger lists it, audits reserve then spend, and keeps it across a reactivation.</summary>
    [Fact]
    public async Task ADpSessionSpendsOnEveryPartyAndTheLedgerKeepsIt()
    {
        SessionSpec spec = DpSpec("spend", ["hospital-1", "hospital-2"], 1.25);
        double before = (await fixture.ShowAsync("hospital-1")).SpentEpsilon;
        SessionReport report = await RunAsync(spec);
        Assert.Equal(31, report.Weights.Length);
        foreach (string party in spec.Parties)
        {
            BudgetEntry entry = (await EntryAsync(party, spec.Session))!;
            Assert.Equal(BudgetEntryState.Spent, entry.State);
            Assert.Equal(1.25, entry.Epsilon);
            Assert.Equal(1e-5, entry.Delta);
            Assert.Equal(["BudgetReserved", "BudgetSpent"], (await fixture.TrailAsync(party, spec.Session)).Where(k => k.StartsWith("Budget", StringComparison.Ordinal)));
        }
        BudgetStatement statement = await fixture.ShowAsync("hospital-1");
        Assert.Equal(before + 1.25, statement.SpentEpsilon, 9);
        Assert.Equal(100 - statement.SpentEpsilon - statement.ReservedEpsilon, statement.RemainingEpsilon!.Value, 9);
        Assert.Null((await fixture.ShowAsync("hospital-2")).RemainingEpsilon);   // no total: recorded, not limited

        // Every idle activation collected: the ledger is read back from the party's sealed storage.
        await fixture.Cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(BudgetEntryState.Spent, (await EntryAsync("hospital-1", spec.Session))!.State);
        Assert.Equal(statement.SpentEpsilon, (await fixture.ShowAsync("hospital-1")).SpentEpsilon, 12);
    }

    /// <summary>
    /// Two sessions of ε = 1 started at once on hospital-3 (total 1.5): exactly one is admitted; the other is refused
    /// by hospital-3, naming its remaining ε, and hospital-3 never read its rows for it. A third afterwards is
    /// refused too (the first spent its ε), and hospital-1's reservation for each refused session is given back.
    /// </summary>
    [Fact]
    public async Task ConcurrentSessionsCannotOverspendAndARefusalComesBeforeAnyRead()
    {
        SessionSpec first = DpSpec("race-a", ["hospital-1", "hospital-3"], 1), second = DpSpec("race-b", ["hospital-1", "hospital-3"], 1);
        Task<SessionReport>[] runs = [RunAsync(first), RunAsync(second)];
        await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        Assert.Equal(1, runs.Count(r => r.IsCompletedSuccessfully));
        Assert.Equal(1, runs.Count(r => r.IsFaulted));
        Task<SessionReport> lost = runs.First(r => r.IsFaulted);
        string message = lost.Exception!.GetBaseException().Message;
        Assert.Contains("refused by party 'hospital-3'", message);
        Assert.Contains("remaining privacy budget of ε = 0.5", message);
        SessionSpec loser = lost == runs[0] ? first : second, winner = lost == runs[0] ? second : first;
        Assert.Null(await EntryAsync("hospital-3", loser.Session));
        Assert.Equal(BudgetEntryState.Spent, (await EntryAsync("hospital-3", winner.Session))!.State);
        Assert.Equal(BudgetEntryState.Refunded, (await WaitForAsync("hospital-1", loser.Session, BudgetEntryState.Refunded)).State);
        Assert.Contains("BudgetRefused", await fixture.TrailAsync("hospital-3", loser.Session));

        int reads = fixture.Reads.GetValueOrDefault("hospital-3");
        SessionSpec third = DpSpec("race-c", ["hospital-1", "hospital-3"], 1);
        var refused = await Assert.ThrowsAsync<SessionFailedException>(() => RunAsync(third));
        Assert.Contains("remaining privacy budget of ε = 0.5", refused.Message);
        Assert.Equal(reads, fixture.Reads.GetValueOrDefault("hospital-3"));
        Assert.Equal(0.5, (await fixture.ShowAsync("hospital-3")).RemainingEpsilon!.Value, 9);
    }

    /// <summary>A DP session that fails before its release (σ too small for its ε: each party refuses before sharing) gets its reservation back everywhere.</summary>
    [Fact]
    public async Task ASessionThatFailsBeforeItsReleaseIsRefunded()
    {
        SessionSpec spec = DpSpec("refund", ["hospital-1", "hospital-2"], 1, sigma: 0.5);
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => RunAsync(spec));
        Assert.Contains("more than the session's ε = 1", error.Message);
        foreach (string party in spec.Parties)
        {
            await WaitForAsync(party, spec.Session, BudgetEntryState.Refunded);
            Assert.Equal(["BudgetReserved", "BudgetRefunded"], (await fixture.TrailAsync(party, spec.Session)).Where(k => k.StartsWith("Budget", StringComparison.Ordinal)));
        }
    }

    /// <summary>The policy's privacy rules refuse before the ledger: a non-DP session where DP is required, more ε than one session may spend.</summary>
    [Fact]
    public async Task PolicyPrivacyRulesRefuseNamingThePartyAndTheRule()
    {
        var plain = new SessionSpec(NewSession("plain"), ["hospital-1", "hospital-2"], "benign", Epochs: 1);
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => RunAsync(plain));
        Assert.Contains("refused by party 'hospital-2': rule privacy: this party requires differential privacy", error.Message);

        SessionSpec greedy = DpSpec("greedy", ["hospital-1", "hospital-2"], 6);
        error = await Assert.ThrowsAsync<SessionFailedException>(() => RunAsync(greedy));
        Assert.Contains("refused by party 'hospital-1': rule privacy: ε = 6 exceeds this party's maximum of 5 per session", error.Message);
        Assert.Null(await EntryAsync("hospital-1", greedy.Session));
        await WaitForAsync("hospital-2", greedy.Session, BudgetEntryState.Refunded);
    }

    /// <summary>
    /// Only a party's own operators see its ledger, and code on another party's silo (the fixture's grain factory is
    /// hospital-1's silo) cannot reserve, spend or refund on it: refused at the authorization boundary.
    /// </summary>
    [Fact]
    public async Task OnlyThePartysOwnOperatorsSeeItsLedgerAndNoOtherSiloChangesIt()
    {
        var budget = fixture.Cluster.Grains.GetGrain<IPrivacyBudgetGrain>("hospital-2");
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => budget.ShowAsync(BudgetFixture.Operator("hospital-1").For(ClientPurpose.ShowBudget, "hospital-2")));
        // Refused at the authorization boundary, before the grain runs.
        await Assert.ThrowsAsync<CallRefusedException>(() => budget.ReserveAsync("forged", 0.1, 1e-6));
        await Assert.ThrowsAsync<CallRefusedException>(() => budget.SpendAsync("forged"));
        await Assert.ThrowsAsync<CallRefusedException>(() => budget.RefundAsync("forged"));
        Assert.Null(await EntryAsync("hospital-2", "forged"));
    }

    /// <summary>
    /// hospital-1 declares public bounds in its policy: a DP session whose bounds for one feature differ fails before
    /// any row is shared, naming the rule, the feature and both ranges, and both parties get their reservation back.
    /// </summary>
    [Fact]
    public async Task BoundsThatDifferFromThePartysDeclaredOnesAreRefused()
    {
        SessionSpec spec = DpSpec("bounds", ["hospital-1", "hospital-2"], 1);
        double[] upper = (double[])spec.Privacy!.UpperBounds!.Clone();
        upper[0] *= 2;
        spec = spec with { Privacy = spec.Privacy with { UpperBounds = upper } };
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => RunAsync(spec));
        Assert.Contains("rule privacy.bounds: the session's bounds for feature 'mean_radius' ([0, 60]) differ from this party's declared [0, 30]", error.Message);
        Assert.Contains("hospital-1", error.Message);
        foreach (string party in spec.Parties)
        {
            await WaitForAsync(party, spec.Session, BudgetEntryState.Refunded);
        }
    }
}
