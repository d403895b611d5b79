using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SecureCompute.Client.Demo;
using SecureCompute.Grains.Audit;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Policy;
using SecureCompute.Grains.Training;
using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Engine;
using SecureCompute.Silo.Security;
using Spectre.Console;

namespace SecureCompute.Client.Bench;

/// <summary>
/// <c>bench training</c>: the default demo's workload (breast cancer, 3 parties, logistic, batch 64) timed three ways in
/// one process — plaintext float64, the simulator, and the embedded cluster with its audit trail on and off (the
/// trail's cost) — as seconds per epoch and ratios.
/// </summary>
internal static class TrainingBenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { Description = "Epochs per run.", DefaultValueFactory = _ => 10 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per engine after one warm-up; the median is reported.", DefaultValueFactory = _ => 3 };
        var degree = new Option<int>("--sigmoid-degree") { Description = "Degree of the clipped Chebyshev sigmoid.", DefaultValueFactory = _ => 15 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures to this JSON file." };
        var tls = new Option<bool>("--tls") { Description = "Also time the embedded cluster with mutual TLS on every connection (development certificates)." };
        var model = new Option<string>("--model") { Description = "logistic (the default demo's workload), softmax or mlp.", DefaultValueFactory = _ => "logistic" };
        var data = new Option<DirectoryInfo?>("--data") { Description = "softmax, mlp: folder whose *.csv files are the parties' rows (default data/digits)." };
        var label = new Option<string?>("--label") { Description = "softmax, mlp: the label column (default: the last)." };
        var parties = new Option<int?>("--parties") { Description = "softmax, mlp: split the rows among N parties (default: one per file)." };
        var hidden = new Option<string>("--hidden") { Description = "mlp: hidden layer widths, comma-separated.", DefaultValueFactory = _ => "128,128" };
        var command = new Command("training", "Seconds per epoch of a training program: plaintext, simulator and embedded cluster in one process (logistic: the default demo, audit trail on and off).")
        {
            epochs, repeats, degree, json, tls, model, data, label, parties, hidden,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            string kind = result.GetValue(model)!.Trim().ToLowerInvariant();
            if (kind is "softmax" or "mlp")
            {
                return await LearningAsync(kind, result.GetValue(data), result.GetValue(label), result.GetValue(parties), result.GetValue(hidden)!, result.GetValue(epochs),
                    result.GetValue(repeats), result.GetValue(json), cancellationToken);
            }
            if (kind != "logistic")
            {
                Console.Error.WriteLine($"error: --model must be logistic, softmax or mlp, not '{result.GetValue(model)}'.");
                return 2;
            }
            if (result.GetValue(data) is not null || result.GetValue(label) is not null || result.GetValue(parties) is not null)
            {
                Console.Error.WriteLine("error: --data, --label and --parties choose a softmax or mlp workload; the logistic bench is the default demo's.");
                return 2;
            }
            var spec = new TrainingSpec(ModelKind.Logistic, result.GetValue(epochs), 64, 1.0, 1, result.GetValue(degree));
            var problems = spec.Validate().ToList();
            if (result.GetValue(repeats) is < 1 or > 20)
            {
                problems.Add($"--repeats must be between 1 and 20, not {result.GetValue(repeats)}.");
            }
            if (BenchOutput.CheckTarget(result.GetValue(json)) is { } targetProblem)
            {
                problems.Add(targetProblem);
            }
            problems.ForEach(p => Console.Error.WriteLine($"error: {p}"));
            if (problems.Count > 0)
            {
                return 2;
            }
            try
            {
                TorchRuntime.EnsureLoaded();
                return await RunAsync(spec, result.GetValue(repeats), result.GetValue(json), result.GetValue(tls), cancellationToken);
            }
            catch (TorchUnavailableException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 3;
            }
        });
        return command;
    }

    /// <summary>The learning-layer bench (<see cref="LearningBench"/>) on a data folder; returns the exit code.</summary>
    private static async Task<int> LearningAsync(string kind, DirectoryInfo? data, string? label, int? parties, string hidden, int epochs, int repeats, FileInfo? json,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        int[] widths = hidden.Split(',', StringSplitOptions.TrimEntries).Select(w => int.TryParse(w, out int v) && v is >= 1 and <= 4096 ? v : -1).ToArray();
        if (widths.Any(w => w < 0))
        {
            problems.Add($"--hidden must be comma-separated widths between 1 and 4096, not '{hidden}'.");
        }
        if (repeats is < 1 or > 20)
        {
            problems.Add($"--repeats must be between 1 and 20, not {repeats}.");
        }
        if (BenchOutput.CheckTarget(json) is { } targetProblem)
        {
            problems.Add(targetProblem);
        }
        DirectoryInfo folder = data ?? new DirectoryInfo(Path.Combine(Path.GetDirectoryName(DemoCommand.FindDefaultData().FullName)!, "digits"));
        var options = new DemoOptions(folder, parties, label, new TrainingSpec(Epochs: epochs), new DirectoryInfo("."));
        problems.AddRange(options.Validate());
        problems.ForEach(p => Console.Error.WriteLine($"error: {p}"));
        if (problems.Count > 0)
        {
            return 2;
        }
        try
        {
            TorchRuntime.EnsureLoaded();
            IReadOnlyList<PartyDataset> rows = DemoRun.Load(options);
            string[] ids = DemoRun.PartyIds(options, rows);
            int classes = DemoLearningRun.Classes(rows, folder.FullName);
            var template = new Grains.Interfaces.Sessions.SessionSpec("bench", ids, rows[0].LabelName, kind, epochs, 64, 0.5, 1, Classes: classes,
                Hidden: kind == "mlp" ? widths : null);
            LearningBenchResult figures = await LearningBench.RunAsync(rows, ids, template, repeats, cancellationToken);
            BenchOutput.WriteJson(figures, json);
            return 0;
        }
        catch (Exception ex) when (ex is DatasetException or Mpc.Encoding.FixedPointRangeException or Grains.Interfaces.Sessions.SessionFailedException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
        catch (TorchUnavailableException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 3;
        }
    }

    private static async Task<int> RunAsync(TrainingSpec spec, int repeats, FileInfo? json, bool tls, CancellationToken cancellationToken)
    {
        string folder = Path.Combine(DemoCommand.FindDefaultData().FullName);
        PartyDataset[] parties = Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).Select(f => CsvDataset.Load(f, "benign")).ToArray();
        string[] ids = parties.Select(p => Path.GetFileNameWithoutExtension(p.Source)).ToArray();
        Standardisation statistics = Standardisation.FromSums(parties.Sum(p => (long)p.Rows),
            Enumerable.Range(0, parties[0].Columns).Select(c => parties.Sum(p => Enumerable.Range(0, p.Rows).Sum(r => p.Features[r * p.Columns + c]))).ToArray(),
            Enumerable.Range(0, parties[0].Columns).Select(c => parties.Sum(p => Enumerable.Range(0, p.Rows).Sum(r => p.Features[r * p.Columns + c] * p.Features[r * p.Columns + c]))).ToArray());

        var plain = new List<double>();
        var simulator = new List<double>();
        for (int run = 0; run <= repeats; run++)
        {
            Console.Error.WriteLine($"bench: plaintext and simulator, run {run} of {repeats} (0 = warm-up) ...");
            var clock = Stopwatch.StartNew();
            PlaintextTrainer.Train(parties, spec, statistics, PlaintextTrainer.Sigmoid);
            double plainSeconds = clock.Elapsed.TotalSeconds;
            using var mpc = new MpcEngine(parties.Length, reproducibleSeed: run);
            TrainingResult simulated = SecureTrainer.Train(mpc, parties, spec);
            if (run > 0)
            {
                plain.Add(plainSeconds / spec.Epochs);
                simulator.Add(simulated.Seconds / spec.Epochs);
            }
        }
        // An anonymous client is refused by the restrictive default policy: the bench's silos are permissive, as the demo's,
        // and its client declares itself an operator of the first party (no TLS: declared, not proven).
        SiloIdentity[] identities = ids.Select((id, i) => SiloIdentity.ForParty(id, _ => parties[i]).WithPolicy(PartyPolicy.Permissive(id)))
            .Append(SiloIdentity.ForDealer()).ToArray();
        ClientSigner client = ClientSigner.Declaring(new OperatorIdentity(ids[0], "bench"));
        var (audited, unaudited) = await TimeAuditOnAndOffAsync(identities, ids, spec, repeats, client, cancellationToken);
        double? tlsSeconds = null;
        if (tls)
        {
            string certificates = Directory.CreateTempSubdirectory("securecompute-bench-tls-").FullName;
            try
            {
                DevelopmentCertificates.Write(certificates, ids);
                string[] names = ids.Append("dealer").ToArray();
                ConsortiumTls[] material = names.Select(n => ConsortiumTls.Load(Path.Combine(certificates, n + ".crt"), Path.Combine(certificates, n + ".key"),
                    Path.Combine(certificates, "ca.crt"))).ToArray();
                await using BenchCluster secured = await BenchCluster.StartAsync("cluster with mutual TLS", identities, null,
                    (silo, i) => TlsSetup.Apply(silo, material[i]), cancellationToken);
                for (int run = 0; run <= repeats; run++)
                {
                    await secured.RunAsync(run, repeats, ids, spec, client, cancellationToken);
                }
                tlsSeconds = BenchOutput.Median(secured.Epoch);
            }
            finally
            {
                Directory.Delete(certificates, recursive: true);
            }
        }
        // Each on run has its off run beside it in time: the median of those pairs' ratios, before the medians sort the lists.
        double auditRatio = BenchOutput.Median(audited.Epoch.Zip(unaudited.Epoch, (on, off) => on / off).ToList());
        double auditWallRatio = BenchOutput.Median(audited.Wall.Zip(unaudited.Wall, (on, off) => on / off).ToList());
        Console.Error.WriteLine($"bench: audit trail on / off per pair: {string.Join(", ", audited.Epoch.Zip(unaudited.Epoch, (on, off) => $"{on:F3}/{off:F3}"))}");
        double auditOn = BenchOutput.Median(audited.Epoch), auditOff = BenchOutput.Median(unaudited.Epoch);
        double auditOnWall = BenchOutput.Median(audited.Wall), auditOffWall = BenchOutput.Median(unaudited.Wall);
        var figures = new TrainingBenchResult(spec.Epochs, repeats, Environment.ProcessorCount, audited.Rounds, audited.RoundsPerStep, BenchOutput.Median(plain),
            BenchOutput.Median(simulator), auditOn, auditOnWall, audited.StartupSeconds, tlsSeconds, auditOff, auditOffWall, auditRatio, auditWallRatio);
        var table = new Table().Title(Markup.Escape($"default demo workload: {parties.Length} parties, {parties.Sum(p => p.Rows)} rows, {spec.Epochs} epochs, {Environment.ProcessorCount} cores"))
            .AddColumn("engine").AddColumn(new TableColumn("s / epoch").RightAligned()).AddColumn(new TableColumn("× plaintext").RightAligned())
            .AddColumn(new TableColumn("× simulator").RightAligned());
        table.AddRow("plaintext float64 (pooled rows)", $"{figures.PlaintextSecondsPerEpoch:F4}", "1", "");
        table.AddRow("simulator (parties one after another)", $"{figures.SimulatorSecondsPerEpoch:F3}", $"{figures.SimulatorSecondsPerEpoch / figures.PlaintextSecondsPerEpoch:F0}", "1");
        table.AddRow("embedded cluster (party 0's program)", $"{figures.ClusterSecondsPerEpoch:F3}", $"{figures.ClusterSecondsPerEpoch / figures.PlaintextSecondsPerEpoch:F0}",
            $"{figures.ClusterSecondsPerEpoch / figures.SimulatorSecondsPerEpoch:F2}");
        table.AddRow("embedded cluster (client wall clock)", $"{figures.ClusterWallSecondsPerEpoch:F3}", $"{figures.ClusterWallSecondsPerEpoch / figures.PlaintextSecondsPerEpoch:F0}",
            $"{figures.ClusterWallSecondsPerEpoch / figures.SimulatorSecondsPerEpoch:F2}");
        if (figures.ClusterTlsSecondsPerEpoch is { } withTls)
        {
            table.AddRow("embedded cluster, mutual TLS (party 0's program)", $"{withTls:F3}", $"{withTls / figures.PlaintextSecondsPerEpoch:F0}",
                $"{withTls / figures.SimulatorSecondsPerEpoch:F2} ({withTls / figures.ClusterSecondsPerEpoch:F2}× without TLS)");
        }
        table.AddRow("embedded cluster, audit trail off (party 0's program)", $"{auditOff:F3}", $"{auditOff / figures.PlaintextSecondsPerEpoch:F0}",
            $"{auditOff / figures.SimulatorSecondsPerEpoch:F2}");
        table.AddRow("embedded cluster, audit trail off (client wall clock)", $"{auditOffWall:F3}", $"{auditOffWall / figures.PlaintextSecondsPerEpoch:F0}",
            $"{auditOffWall / figures.SimulatorSecondsPerEpoch:F2}");
        AnsiConsole.Write(table);
        Console.WriteLine($"audit trail on / off (median of {repeats} back-to-back pairs): {figures.AuditRatio:F3} (party 0's program), {figures.AuditWallRatio:F3} (client wall clock); goal ≤ 1.05");
        Console.WriteLine($"rounds {figures.Rounds:N0} ({figures.RoundsPerStep:F0} per step); cluster start-up {audited.StartupSeconds:F1} s (not in the figures)");
        BenchOutput.WriteJson(figures, json);
        return 0;
    }

    /// <summary>
    /// The audit trail's cost: the default cluster (trail on) and one with the trail off on every silo, their sessions
    /// alternated — on, off; off, on; ... — so that both see the same drift of this shared machine. Both clusters are
    /// stopped on return; their figures stay.
    /// </summary>
    private static async Task<(BenchCluster On, BenchCluster Off)> TimeAuditOnAndOffAsync(SiloIdentity[] identities, string[] ids, TrainingSpec spec,
        int repeats, ClientSigner client, CancellationToken cancellationToken)
    {
        await using BenchCluster on = await BenchCluster.StartAsync("cluster", identities, null, null, cancellationToken);
        await using BenchCluster off = await BenchCluster.StartAsync("cluster with the audit trail off", identities,
            silo => silo.Services.Configure<AuditOptions>(o => o.Enabled = false), null, cancellationToken);
        for (int run = 0; run <= repeats; run++)
        {
            foreach (BenchCluster next in run % 2 == 0 ? new[] { on, off } : new[] { off, on })
            {
                await next.RunAsync(run, repeats, ids, spec, client, cancellationToken);
            }
        }
        return (on, off);
    }
}

/// <summary>
/// The figures of <c>bench training</c> (medians, seconds per epoch; the cluster's with the audit trail on). The audit
/// ratios are on over off, the median over pairs of sessions run back to back: party 0's program time, and the
/// client's wall clock.
/// </summary>
internal sealed record TrainingBenchResult(int Epochs, int Repeats, int Threads, long Rounds, double RoundsPerStep, double PlaintextSecondsPerEpoch,
    double SimulatorSecondsPerEpoch, double ClusterSecondsPerEpoch, double ClusterWallSecondsPerEpoch, double ClusterStartupSeconds,
    double? ClusterTlsSecondsPerEpoch, double ClusterAuditOffSecondsPerEpoch, double ClusterAuditOffWallSecondsPerEpoch, double AuditRatio,
    double AuditWallRatio);
