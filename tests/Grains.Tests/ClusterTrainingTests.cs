using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;
using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Programs;
using SecureCompute.Mpc.Encoding;
using SecureCompute.Mpc.Engine;
using static TorchSharp.torch;

namespace SecureCompute.Grains.Tests;

/// <summary>Joint training across the parties' silos of an in-process cluster, against the simulator and plaintext.</summary>
[Collection(ClusterCollection.Name)]
public class ClusterTrainingTests(ClusterFixture fixture)
{
    private static int sessions;

    private static string NewSession(string name) => $"{name}-{Interlocked.Increment(ref sessions)}-{Guid.NewGuid():N}"[..30];

    /// <summary>
    /// A reproducible cluster run equals the simulator run with the same seed bit for bit: same seeds, same program,
    /// same opens — so every property proven of the simulator's messages holds for the grains'.
    /// </summary>
    [Theory]
    [InlineData(SessionModel.Logistic)]
    [InlineData(SessionModel.Linear)]
    public async Task ClusterRunRepeatsTheSimulatorBitForBit(SessionModel model)
    {
        bool logistic = model == SessionModel.Logistic;
        var spec = new SessionSpec(NewSession($"bits-{model.Name()}"), logistic ? ClusterFixture.Hospitals : ClusterFixture.Clinics, logistic ? "benign" : "progression",
            Model: model, Epochs: 2, LearningRate: logistic ? 1.0 : 0.1, ReproducibleSeed: 11);
        SessionReport cluster = await SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: ClusterFixture.OperatorOf(spec));

        IReadOnlyList<PartyDataset> parties = RepositoryData.Load(logistic ? "breast-cancer" : "diabetes", spec.Label);
        using var mpc = new MpcEngine(parties.Count, reproducibleSeed: 11);
        var simulatorMessages = new List<long[]>();
        mpc.Coordinator!.Received += (_, message) => simulatorMessages.Add(message.Values.SelectMany(v => v.contiguous().data<long>().ToArray()).ToArray());
        ProgramResult simulated = Simulate(mpc, spec, parties);

        Assert.Equal(simulated.Weights, cluster.Weights);
        Assert.Equal(simulated.EpochLoss, cluster.EpochLoss);
        Assert.Equal(simulated.Train.Accuracy, cluster.TrainAccuracy);
        Assert.Equal(simulated.Train.MeanSquaredError, cluster.TrainMse);
        Assert.Equal(simulated.HeldOut!.Accuracy, cluster.HeldOutAccuracy);
        Assert.Equal(simulated.HeldOut.MeanSquaredError, cluster.HeldOutMse);
        Assert.Equal(logistic ? 21 : 5, cluster.RoundsPerStep);
        Assert.Equal(simulated.Rounds, cluster.Rounds);
        Assert.Equal(simulated.RoundsPerStep, cluster.RoundsPerStep);
        Assert.Equal(simulated.BytesOpened, cluster.BytesOpened);
        Assert.Equal(simulated.DealerBytes, cluster.DealerBytes);

        // What the cluster's coordinator received is exactly what the simulator's did, message for message.
        var received = fixture.Tap.Messages[spec.Session].OrderBy(m => m.Message.Round).ThenBy(m => m.Party)
            .Select(m => m.Message.Values.SelectMany(v => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(v.Data).ToArray()).ToArray()).ToList();
        Assert.Equal(simulatorMessages.Count, received.Count);
        for (int i = 0; i < received.Count; i++)
        {
            Assert.True(simulatorMessages[i].SequenceEqual(received[i]), $"message {i} differs");
        }
    }

    /// <summary>
    /// The learning layer's programs in a cluster: a softmax regression and an MLP session across the parties' silos
    /// equal the simulator's run of the same program with the same seed bit for bit — parameters, losses and the
    /// held-out accuracy evaluated on shares.
    /// </summary>
    [Theory]
    [InlineData(SessionModel.Softmax)]
    [InlineData(SessionModel.Mlp)]
    public async Task LearningProgramsInAClusterRepeatTheSimulatorBitForBit(SessionModel model)
    {
        var spec = new SessionSpec(NewSession(model.Name()), ClusterFixture.Hospitals, "benign", Model: model, Epochs: 2, LearningRate: 0.5, ReproducibleSeed: 13,
            Classes: 2, Hidden: model == SessionModel.Mlp ? new[] { 8 } : null);
        SessionReport cluster = await SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: ClusterFixture.OperatorOf(spec));

        IReadOnlyList<PartyDataset> parties = RepositoryData.Load("breast-cancer", "benign");
        using var mpc = new MpcEngine(parties.Count, reproducibleSeed: 13);
        ProgramResult simulated = Simulate(mpc, spec, parties);

        Assert.Equal(simulated.Weights, cluster.Weights);
        Assert.Equal(simulated.EpochLoss, cluster.EpochLoss);
        Assert.Equal(simulated.HeldOut!.Accuracy, cluster.HeldOutAccuracy);
        Assert.Equal(simulated.Train.Accuracy, cluster.TrainAccuracy);
        Assert.Equal(simulated.HeldOut.Rows, cluster.HeldOutRows);
        Assert.Equal(simulated.Rounds, cluster.Rounds);
        Assert.Equal(simulated.BytesOpened, cluster.BytesOpened);
        Assert.Equal(simulated.Shapes.Select(s => s.Name), cluster.ParameterNames!);
        Assert.True(cluster.HeldOutAccuracy > 0.85, $"{model}: held-out accuracy {cluster.HeldOutAccuracy} on breast-cancer");
    }

    /// <summary>
    /// Recipients: a session naming hospital-2 and the client hospital-1:alice releases the model to them only. alice sums
    /// every party's share and gets the simulator's model bit for bit, as does hospital-2's operator from hospital-2's
    /// copy; hospital-1's operator gets no weight (its party asks "who are you?" and refuses), and nothing the
    /// coordinator received holds a weight.
    /// </summary>
    [Fact]
    public async Task TheModelGoesToTheNamedRecipientsOnly()
    {
        var spec = new SessionSpec(NewSession("recipients"), ClusterFixture.Hospitals, "benign", Epochs: 1, ReproducibleSeed: 13,
            Recipients: new[] { "hospital-2", "hospital-1:alice" });
        var alice = Interfaces.Governance.ClientSigner.Declaring(new Interfaces.Governance.OperatorIdentity("hospital-1", "alice"));
        SessionReport received = await SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: alice);

        IReadOnlyList<PartyDataset> parties = RepositoryData.Load("breast-cancer", "benign");
        using var mpc = new MpcEngine(parties.Count, reproducibleSeed: 13);
        ProgramResult simulated = Simulate(mpc, spec, parties, recipients: SessionRecipients.Parties(spec).ToArray());
        Assert.Equal(new[] { 1 }, SessionRecipients.Parties(spec));
        Assert.Equal(simulated.Weights, received.Weights);
        Assert.Equal(simulated.Weights, await SessionClient.FetchModelAsync(fixture.Cluster.Grains, spec,
            Interfaces.Governance.ClientSigner.Declaring(new Interfaces.Governance.OperatorIdentity("hospital-2", "bob"))));

        var outsider = Interfaces.Governance.ClientSigner.Declaring(new Interfaces.Governance.OperatorIdentity("hospital-1", "tester"));
        Assert.Empty(await SessionClient.FetchModelAsync(fixture.Cluster.Grains, spec, outsider));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => fixture.Cluster.Grains.GetGrain<IPartyGrain>("hospital-1")
            .FetchResultAsync(spec.Session, outsider.For(Interfaces.Governance.ClientPurpose.FetchResult, spec.Session)));

        // The coordinator's view: its report has no weight, and no word it received is the model's encoding.
        SessionReport coordinators = (await fixture.Cluster.Grains.GetGrain<ITrainingSessionGrain>(spec.Session).GetProgressAsync(alice.For(Interfaces.Governance.ClientPurpose.Observe, spec.Session))).Report!;
        Assert.Empty(coordinators.Weights);
        var words = new HashSet<long>(new FixedPointFormat(spec.FractionalBits).Encode(tensor(simulated.Weights)).data<long>().ToArray());
        var seen = fixture.Tap.Messages[spec.Session].SelectMany(m => m.Message.Values)
            .SelectMany(v => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(v.Data).ToArray()).ToHashSet();
        Assert.Empty(words.Intersect(seen));
    }

    /// <summary>
    /// The acceptance run: the default demo's workload (3 hospitals, logistic, 10 epochs, batch 64) with fresh seeds.
    /// Utility: training and held-out accuracy, evaluated on shares, within 0.5 points of the exact plaintext model's on
    /// the same split (455 and 114 rows: at most 2 training rows, no held-out row, classified differently). Fidelity:
    /// max |Δw| ≤ 0.01 against float64 running the same program with the same sigmoid approximation (fixed-point and
    /// protocol error only).
    /// </summary>
    [Fact]
    public async Task LogisticAcrossSilosMatchesPlaintext()
    {
        var spec = new SessionSpec(NewSession("logistic"), ClusterFixture.Hospitals, "benign");
        SessionReport report = await SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: ClusterFixture.OperatorOf(spec));

        IReadOnlyList<PartyDataset> parties = RepositoryData.Load("breast-cancer", "benign");
        ProgramResult exact = Plaintext(spec, parties, FunctionMode.Exact);
        ProgramResult same = Plaintext(spec, parties, FunctionMode.Approximate);
        double fidelity = report.Weights.Zip(same.Weights, (a, b) => Math.Abs(a - b)).Max();

        Assert.True(Math.Abs(report.TrainAccuracy!.Value - exact.Train.Accuracy!.Value) <= 0.005, $"secure {report.TrainAccuracy:P2} vs plaintext {exact.Train.Accuracy:P2}");
        Assert.True(Math.Abs(report.HeldOutAccuracy!.Value - exact.HeldOut!.Accuracy!.Value) <= 0.005, $"held out: secure {report.HeldOutAccuracy:P2} vs plaintext {exact.HeldOut.Accuracy:P2}");
        Assert.Equal(exact.Weights.Length, report.Weights.Length);
        Assert.True(fidelity <= 0.01, $"max |Δw| = {fidelity:E2}");
        Assert.Equal(10, report.EpochLoss.Length);
        Assert.Equal(21, report.RoundsPerStep);
    }

    /// <summary>Linear regression on the clinics: training and held-out MSE, evaluated on shares, within 1% of the exact plaintext model's.</summary>
    [Fact]
    public async Task LinearAcrossSilosMatchesPlaintext()
    {
        var spec = new SessionSpec(NewSession("linear"), ClusterFixture.Clinics, "progression", Model: SessionModel.Linear, Epochs: 5, LearningRate: 0.1);
        SessionReport report = await SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: ClusterFixture.OperatorOf(spec));

        IReadOnlyList<PartyDataset> parties = RepositoryData.Load("diabetes", "progression");
        ProgramResult exact = Plaintext(spec, parties, FunctionMode.Exact);
        Assert.True(Math.Abs(report.TrainMse!.Value - exact.Train.MeanSquaredError!.Value) <= 0.01 * exact.Train.MeanSquaredError.Value,
            $"secure MSE {report.TrainMse:F2} vs plaintext {exact.Train.MeanSquaredError:F2}");
        Assert.True(Math.Abs(report.HeldOutMse!.Value - exact.HeldOut!.MeanSquaredError!.Value) <= 0.01 * exact.HeldOut.MeanSquaredError.Value,
            $"held out: secure MSE {report.HeldOutMse:F2} vs plaintext {exact.HeldOut.MeanSquaredError:F2}");
        Assert.Equal(5, report.RoundsPerStep);
    }

    /// <summary>The session's program in the simulator (every party's rows, every party a recipient unless named).</summary>
    internal static ProgramResult Simulate(MpcEngine mpc, SessionSpec spec, IReadOnlyList<PartyDataset> parties, int[]? recipients = null) =>
        SecretProgram.Run(mpc, parties.Select(p => p.Rows).ToArray(), parties[0].Columns, i => Rows(spec, parties, i),
            SessionSpecs.ToProgram(spec, parties[0].Columns), recipients ?? Enumerable.Range(0, parties.Count).ToArray());

    /// <summary>The session's program in float64 on the pooled rows.</summary>
    internal static ProgramResult Plaintext(SessionSpec spec, IReadOnlyList<PartyDataset> parties, FunctionMode functions) =>
        PlaintextProgram.Run(parties.Select((_, i) => Rows(spec, parties, i)).ToArray(), SessionSpecs.ToProgram(spec, parties[0].Columns), functions);

    private static PartyRows Rows(SessionSpec spec, IReadOnlyList<PartyDataset> parties, int i) =>
        new(spec.Parties[i], parties[i].Features, parties[i].Labels, parties[i].Columns);

    /// <summary>
    /// Everything the coordinator received in a fresh-seed session — messages, schemas, losses, the report — holds no
    /// data value (raw, standardised, labels; as encoded words, and the raw doubles in releases). Tolerance: masked
    /// words are uniform, so an accidental match with ~10^5 data values over ~10^6 words has probability ~10^-8. The
    /// exception is the bit-to-arithmetic conversion, whose open is one masked bit per element (b ⊕ r, a uniform bit):
    /// its words must be 0 or 1 and nothing else, and they are checked as such rather than against the data (a data
    /// value that encodes to 1 — a z-score of ±2^-16 — would otherwise "match" a coin flip).
    /// </summary>
    [Fact]
    public async Task CoordinatorSeesNoDataValue()
    {
        var spec = new SessionSpec(NewSession("view"), ClusterFixture.Hospitals, "benign", Epochs: 1);
        SessionReport report = await SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: ClusterFixture.OperatorOf(spec));

        var words = new HashSet<long>();
        var bits = new HashSet<long>();
        foreach (var (_, message) in fixture.Tap.Messages[spec.Session])
        {
            foreach (var value in message.Values)
            {
                long[] values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(value.Data).ToArray();
                (message.Operation == nameof(Mpc.Engine.ProtocolOp.BitToArithmetic) ? bits : words).UnionWith(values);
            }
        }
        Assert.True(bits.IsSubsetOf(new long[] { 0, 1 }), $"a bit open held the words {string.Join(", ", bits.Take(5))}");
        Assert.Equal(2, bits.Count);   // the check above can fail: both bit values were seen
        IReadOnlyList<PartyDataset> parties = RepositoryData.Load("breast-cancer", "benign");
        var standardisation = new Standardiser(report.Means, report.StandardDeviations);
        var format = FixedPointFormat.Default;
        var encoded = new HashSet<long>();
        var raw = new HashSet<double>();
        foreach (PartyDataset party in parties)
        {
            encoded.UnionWith(format.Encode(tensor(party.Features)).data<long>().ToArray());
            encoded.UnionWith(format.Encode(tensor(standardisation.Apply(new PartyRows("party", party.Features, party.Labels, party.Columns)))).data<long>().ToArray());
            encoded.UnionWith(format.Encode(tensor(party.Labels)).data<long>().ToArray());
            raw.UnionWith(party.Features);
        }
        encoded.Remove(0);
        raw.Remove(0);
        Assert.True(words.Count > 50_000, $"only {words.Count} distinct words recorded");
        Assert.Empty(encoded.Intersect(words));

        var released = fixture.Tap.Releases[spec.Session].ToArray();
        var releasedNumbers = released.OfType<PartySchemaInfo>().Select(s => (double)s.Rows)
            .Concat(released.OfType<double>())
            .Concat(released.OfType<SessionReport>().SelectMany(r => r.Weights.Concat(r.Means).Concat(r.StandardDeviations).Concat(r.EpochLoss)));
        Assert.True(!raw.Intersect(releasedNumbers).Any(), "released: " + string.Join("; ", released.Select(r => r is SessionReport rep ? $"report means [{string.Join(",", rep.Means)}] sds [{string.Join(",", rep.StandardDeviations)}] loss [{string.Join(",", rep.EpochLoss)}]" : $"{r.GetType().Name} {r}")));
        Assert.Equal(3, released.OfType<PartySchemaInfo>().Count());
    }

    /// <summary>
    /// No log line of any silo (Orleans' own included, information level and up: what an operator sees) holds a data value: after a training session
    /// and a failing one, no line contains any feature value of the hospitals' files as written in the file (only
    /// values with a decimal point and at least 4 digits are looked for, as whole numbers in the line, so that counters,
    /// ports and durations cannot match by chance).
    /// </summary>
    [Fact]
    public async Task SiloLogsHoldNoDataValue()
    {
        await SessionClient.RunAsync(fixture.Cluster.Grains, new SessionSpec(NewSession("logs"), ClusterFixture.Hospitals, "benign", Epochs: 1));
        await Assert.ThrowsAsync<SessionFailedException>(() => SessionClient.RunAsync(fixture.Cluster.Grains,
            new SessionSpec(NewSession("logs-failing"), new[] { "hospital-1", ClusterFixture.Failing }, "benign", Epochs: 1)));
        var cells = new HashSet<string>();
        foreach (string party in ClusterFixture.Hospitals)
        {
            foreach (string line in File.ReadLines(RepositoryData.File("breast-cancer", party)).Skip(1))
            {
                cells.UnionWith(line.Split(',').Where(c => c.Contains('.') && c.Count(char.IsAsciiDigit) >= 4));
            }
        }
        string[] lines = fixture.Logs.Lines.ToArray();
        Assert.True(lines.Length > 50, $"only {lines.Length} log lines captured");
        Assert.True(cells.Count > 1000, $"only {cells.Count} distinctive cells");
        Assert.Contains(lines, l => l.Contains("label must be 0 or 1"));
        // Whole numbers in each line (not substrings: a duration such as 00:00:00.0212611 must not match a cell 0.0212).
        var number = new System.Text.RegularExpressions.Regex(@"-?\d+(\.\d+)?([eE][-+]?\d+)?");
        string? leak = lines.FirstOrDefault(l => number.Matches(l).Any(m => cells.Contains(m.Value)));
        Assert.True(leak is null, $"a log line holds a data value: {leak}");
    }

    /// <summary>
    /// Every party grain and party session grain runs on a silo of its own party; every dealer on the dealer silo; every
    /// coordinator on a party silo, never the dealer's.
    /// </summary>
    [Fact]
    public async Task GrainsRunOnlyOnTheirPartysSilos()
    {
        IGrainFactory grains = fixture.Cluster.Grains;
        string[] parties = ClusterFixture.Hospitals.Concat(ClusterFixture.Clinics).ToArray();
        var checks = new List<Task>();
        for (int s = 0; s < 8; s++)
        {
            string session = $"placement-{s}";
            foreach (string party in parties)
            {
                checks.Add(Expect(party, grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of(session, party)).GetHostPartyAsync()));
            }
            checks.Add(Expect(nameof(Hosting.SiloRole.Dealer), grains.GetGrain<IDealerGrain>(session).GetHostRoleAsync()));
            checks.Add(OnAPartySilo(grains.GetGrain<ITrainingSessionGrain>(session).GetHostPartyAsync()));
        }
        foreach (string party in parties)
        {
            checks.Add(Expect(party, grains.GetGrain<IPartyGrain>(party).GetHostPartyAsync()));
        }
        await Task.WhenAll(checks);
        Assert.Equal(8 * (parties.Length + 2) + parties.Length, checks.Count);

        static async Task Expect(string expected, Task<string?> actual) => Assert.Equal(expected, await actual);

        // A coordinator never runs on the dealer's silo: the dealer knows the masks of what the coordinator sees opened.
        async Task OnAPartySilo(Task<string?> host) => Assert.Contains(await host, parties.Append(ClusterFixture.Failing));
    }

    /// <summary>A session whose parties disagree on the schema fails before any round, naming both parties' files.</summary>
    [Fact]
    public async Task MismatchedSchemasFailNamingTheParties()
    {
        var spec = new SessionSpec(NewSession("schema"), new[] { "hospital-1", "clinic-1" }, "benign");
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: ClusterFixture.OperatorOf(spec)));
        Assert.True(error.Message.Contains("clinic-1"), error.Message);
    }

    /// <summary>
    /// A party whose program fails mid-session (it refuses one of its own labels) fails the session with a message
    /// naming it, its file, row and column; the other parties, waiting in a round, are released instead of hanging.
    /// </summary>
    [Fact]
    public async Task PartyFailureFailsTheSessionNamingIt()
    {
        var spec = new SessionSpec(NewSession("failing"), new[] { "hospital-1", "hospital-2", ClusterFixture.Failing }, "benign");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: ClusterFixture.OperatorOf(spec)));
        Assert.True(error.Message.Contains($"party '{ClusterFixture.Failing}'") && error.Message.Contains("label must be 0 or 1"), error.Message);
        Assert.True(error.Message.Contains("hospital-3.csv") && error.Message.Contains($"row {ClusterFixture.FailingRow + 2}") && error.Message.Contains("benign"), error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    /// <summary>A session naming a party with no silo fails with that party's name.</summary>
    [Fact]
    public async Task UnknownPartyFailsNamingIt()
    {
        var spec = new SessionSpec(NewSession("unknown"), new[] { "hospital-1", "nowhere-7" }, "benign");
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: ClusterFixture.OperatorOf(spec)));
        Assert.True(error.Message.Contains("nowhere-7"), error.Message);
    }
}

