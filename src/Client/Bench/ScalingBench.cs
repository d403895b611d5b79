using System.Diagnostics;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Policy;
using SecureCompute.Grains.Sessions;
using SecureCompute.Learning.Programs;
using SecureCompute.Mpc.Engine;
using Spectre.Console;

namespace SecureCompute.Client.Bench;

/// <summary>
/// <c>bench training --parties 2,3,5,8 --rows 569,10000,100000</c>: the default demo's logistic workload on every
/// (parties, rows) point of a grid, on the simulator and on the embedded cluster, as seconds per epoch and bytes per
/// party, with power laws fitted in parties and in rows (<see cref="ScalingFit"/>).
/// </summary>
/// <remarks>
/// Steps:
/// 1. The rows of each point are <see cref="ScalingWorkload"/>'s: the data's, then synthetic ones.
/// 2. Simulator: one warm-up run at the smallest point, then each point's timed runs, parties one after another.
/// 3. Cluster: per party count, one embedded cluster (a silo per party and a dealer silo; its silos read the current
///    point's rows); one warm-up session at the smallest row count, then each point's timed sessions.
/// 4. Per point: the median seconds per epoch (the session's whole program over its epochs: set-up, training,
///    release); bytes per party per epoch = (bytes opened ÷ parties + dealer bytes, which all go to party n − 1) ÷
///    epochs, from the simulator (the cluster's when only it ran) — the most any one party moves.
/// 5. The fits: log-log least squares of each quantity over the points.
/// </remarks>
internal static class ScalingBench
{
    /// <summary>Runs the grid, prints its table and exponents, writes <paramref name="json"/> when given; returns the exit code.</summary>
    public static async Task<int> RunAsync(ScalingBenchOptions options, FileInfo? json, CancellationToken cancellationToken)
    {
        var workload = new ScalingWorkload(LogisticBench.LoadDemoData());
        int[] partyCounts = options.Parties.Order().ToArray();
        int[] rowCounts = options.Rows.Order().ToArray();
        SessionSpec spec = options.Spec;
        bool simulator = options.Engines != ScalingEngines.Cluster, cluster = options.Engines != ScalingEngines.Simulator;
        var measured = new Dictionary<(int Parties, int Rows), ScalingMeasurement>();
        foreach ((int p, int n) in partyCounts.SelectMany(p => rowCounts.Select(n => (p, n))))
        {
            measured[(p, n)] = new ScalingMeasurement();
        }
        if (simulator)
        {
            Console.Error.WriteLine($"bench: simulator warm-up ({partyCounts[0]} parties, {rowCounts[0]} rows) ...");
            Simulate(workload.Split(rowCounts[0], partyCounts[0]), spec, 0);
        }
        foreach (int p in partyCounts)
        {
            if (simulator)
            {
                foreach (int n in rowCounts)
                {
                    PartyDataset[] rows = workload.Split(n, p);
                    for (int run = 1; run <= options.Repeats; run++)
                    {
                        Console.Error.WriteLine($"bench: simulator, {p} parties, {n} rows, run {run} of {options.Repeats} ...");
                        measured[(p, n)].Simulator(Simulate(rows, spec, run), spec.Epochs);
                    }
                }
            }
            if (cluster)
            {
                await RunClusterAsync(workload, p, rowCounts, spec, options.Repeats, measured, cancellationToken);
            }
        }
        ScalingPoint[] points = measured.OrderBy(m => m.Key.Parties).ThenBy(m => m.Key.Rows).Select(m => m.Value.Point(m.Key.Parties, m.Key.Rows, workload.SyntheticRows(m.Key.Rows))).ToArray();
        ScalingFit[] fits = new (string Name, Func<ScalingPoint, double?> Value)[]
            {
                ("simulatorSecondsPerEpoch", p => p.SimulatorSecondsPerEpoch),
                ("clusterSecondsPerEpoch", p => p.ClusterSecondsPerEpoch),
                ("bytesPerPartyPerEpoch", p => p.BytesPerPartyPerEpoch),
            }
            .Where(q => points.All(p => q.Value(p) is not null))
            .Select(q => ScalingFit.Of(q.Name, points.Select(p => (p.Parties, p.Rows, q.Value(p)!.Value)).ToArray())).ToArray();
        ScalingFit seconds = fits[0];
        var result = new ScalingBenchResult($"the default demo's logistic regression (breast cancer, {ScalingWorkload.DataRows} rows; synthetic rows beyond them)",
            spec.Epochs, spec.BatchSize, options.Repeats, Environment.ProcessorCount, options.Engines.ToString().ToLowerInvariant(), points,
            seconds.PartiesExponent, seconds.RowsExponent, seconds.Quantity, fits);
        Print(result);
        BenchOutput.WriteJson(result, json);
        return 0;
    }

    private static ProgramResult Simulate(PartyDataset[] rows, SessionSpec spec, int run)
    {
        string[] ids = Ids(rows.Length);
        PartyRows[] own = Demo.DemoData.Rows(rows, ids);
        ProgramSpec program = SessionSpecs.ToProgram(spec with { Parties = ids }, rows[0].Columns);
        using var mpc = new MpcEngine(rows.Length, reproducibleSeed: run);
        return SecretProgram.Run(mpc, own.Select(p => p.Rows).ToArray(), rows[0].Columns, i => own[i], program, Enumerable.Range(0, rows.Length).ToArray());
    }

    /// <summary>The parties of a point of <paramref name="parties"/>: party-1..N.</summary>
    private static string[] Ids(int parties) => Enumerable.Range(1, parties).Select(i => $"party-{i}").ToArray();

    private static async Task RunClusterAsync(ScalingWorkload workload, int parties, int[] rowCounts, SessionSpec spec, int repeats,
        Dictionary<(int Parties, int Rows), ScalingMeasurement> measured, CancellationToken cancellationToken)
    {
        string[] ids = Ids(parties);
        // The silos read the current point's rows at each session's start: one cluster serves every row count.
        PartyDataset[] current = workload.Split(rowCounts[0], parties);
        SiloIdentity[] identities = ids.Select((id, i) => SiloIdentity.ForParty(id, _ => current[i]).WithPolicy(PartyPolicy.Permissive(id)))
            .Append(SiloIdentity.ForDealer()).ToArray();
        ClientSigner client = ClientSigner.Declaring(new OperatorIdentity(ids[0], "bench"));
        await using BenchCluster started = await BenchCluster.StartAsync($"cluster of {parties} parties", identities, null, null, cancellationToken);
        Console.Error.WriteLine($"bench: cluster warm-up ({parties} parties, {rowCounts[0]} rows) ...");
        await started.RunSessionAsync(Session(ids, spec, "warm"), client, cancellationToken);
        foreach (int n in rowCounts)
        {
            workload.Split(n, parties).CopyTo(current, 0);
            for (int run = 1; run <= repeats; run++)
            {
                Console.Error.WriteLine($"bench: cluster, {parties} parties, {n} rows, run {run} of {repeats} ...");
                var clock = Stopwatch.StartNew();
                SessionReport report = await started.RunSessionAsync(Session(ids, spec, $"{n}-{run}"), client, cancellationToken);
                measured[(parties, n)].Cluster(report, clock.Elapsed.TotalSeconds, spec.Epochs);
            }
        }
    }

    private static SessionSpec Session(string[] ids, SessionSpec spec, string tag) =>
        spec with { Session = $"scale-{ids.Length}-{tag}-{Guid.NewGuid():N}"[..32], Parties = ids };

    private static void Print(ScalingBenchResult r)
    {
        var table = new Table().Title(Markup.Escape($"scaling, logistic: {r.Epochs} epoch(s) per point, batch {r.BatchSize}, {r.Threads} cores; " +
                                                  "simulator and cluster (party 0's program): seconds per epoch; MB/party: per epoch, party n−1"))
            .AddColumn(new TableColumn("parties").RightAligned()).AddColumn(new TableColumn("rows").RightAligned()).AddColumn(new TableColumn("synthetic").RightAligned())
            .AddColumn(new TableColumn("rnd/step").RightAligned()).AddColumn(new TableColumn("simulator").RightAligned())
            .AddColumn(new TableColumn("cluster").RightAligned()).AddColumn(new TableColumn("MB/party").RightAligned());
        foreach (ScalingPoint p in r.Scaling)
        {
            table.AddRow($"{p.Parties}", $"{p.Rows:N0}", $"{p.SyntheticRows:N0}", $"{p.RoundsPerStep:F0}", p.SimulatorSecondsPerEpoch is { } s ? $"{s:F3}" : "—",
                p.ClusterSecondsPerEpoch is { } c ? $"{c:F3}" : "—", $"{p.BytesPerPartyPerEpoch / 1e6:F2}");
        }
        AnsiConsole.Write(table);
        foreach (ScalingFit fit in r.Fits)
        {
            Console.WriteLine(fit.PartiesExponent is null && fit.RowsExponent is null
                ? $"{fit.Quantity}: one party count and one row count, no exponent to fit"
                : $"{fit.Quantity} ∝ parties^{Exponent(fit.PartiesExponent)} · rows^{Exponent(fit.RowsExponent)} (log-log least squares over {r.Scaling.Count} points)");
        }
    }

    private static string Exponent(double? value) => value is { } v ? $"{v:F2}" : "? (one value on the grid)";
}
