using System.CommandLine;
using System.Diagnostics;
using SecureCompute.Client.Demo;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Training;
using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Simulation;
using SecureCompute.Silo.Embedded;
using SecureCompute.Silo.Security;
using Spectre.Console;

namespace SecureCompute.Client.Bench;

/// <summary>
/// <c>bench training</c>: the default demo's workload (breast cancer, 3 parties, logistic, batch 64) timed three ways in
/// one process — plaintext float64, the simulator, and the embedded cluster — as seconds per epoch and ratios.
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
        var command = new Command("training", "Seconds per epoch of the default demo: plaintext, simulator and embedded cluster in one process.")
        {
            epochs, repeats, degree, json, tls,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
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
            using var mpc = new LocalMpc(parties.Length, reproducibleSeed: run);
            TrainingResult simulated = SecureTrainer.Train(mpc, parties, spec);
            if (run > 0)
            {
                plain.Add(plainSeconds / spec.Epochs);
                simulator.Add(simulated.Seconds / spec.Epochs);
            }
        }
        SiloIdentity[] identities = ids.Select((id, i) => SiloIdentity.ForParty(id, _ => parties[i])).Append(SiloIdentity.ForDealer()).ToArray();
        var (cluster, clusterWall, startup, rounds, roundsPerStep) = await MeasureClusterAsync("cluster", identities, null, ids, spec, repeats, cancellationToken);
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
                var measured = await MeasureClusterAsync("cluster with mutual TLS", identities,
                    (silo, i) => TlsSetup.Apply(silo, material[i]), ids, spec, repeats, cancellationToken);
                tlsSeconds = BenchOutput.Median(measured.Epoch);
            }
            finally
            {
                Directory.Delete(certificates, recursive: true);
            }
        }
        var figures = new TrainingBenchResult(spec.Epochs, repeats, Environment.ProcessorCount, rounds, roundsPerStep, BenchOutput.Median(plain),
            BenchOutput.Median(simulator), BenchOutput.Median(cluster), BenchOutput.Median(clusterWall), startup, tlsSeconds);
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
        AnsiConsole.Write(table);
        Console.WriteLine($"rounds {rounds:N0} ({roundsPerStep:F0} per step); cluster start-up {startup:F1} s (not in the figures)");
        BenchOutput.WriteJson(figures, json);
        return 0;
    }

    /// <summary>Starts an embedded cluster, runs one warm-up and <paramref name="repeats"/> timed sessions; seconds per epoch.</summary>
    private static async Task<(List<double> Epoch, List<double> Wall, double Startup, long Rounds, double RoundsPerStep)> MeasureClusterAsync(string name,
        SiloIdentity[] identities, Action<Orleans.Hosting.ISiloBuilder, int>? configureEach, string[] ids, TrainingSpec spec, int repeats,
        CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"bench: starting the embedded {name} ...");
        var start = Stopwatch.StartNew();
        await using EmbeddedCluster running = await EmbeddedCluster.StartAsync(identities, cancellationToken: cancellationToken, configureEach: configureEach);
        double startup = start.Elapsed.TotalSeconds;
        var epoch = new List<double>();
        var wall = new List<double>();
        long rounds = 0;
        double roundsPerStep = 0;
        for (int run = 0; run <= repeats; run++)
        {
            Console.Error.WriteLine($"bench: {name}, run {run} of {repeats} (0 = warm-up) ...");
            var clock = Stopwatch.StartNew();
            var session = new SessionSpec($"bench-{run}-{Guid.NewGuid():N}"[..20], ids, "benign", "logistic", spec.Epochs, spec.BatchSize, spec.LearningRate,
                spec.Seed, spec.SigmoidDegree);
            SessionReport report = await SessionClient.RunAsync(running.Grains, session, cancellationToken: cancellationToken);
            if (run > 0)
            {
                epoch.Add(report.Seconds / spec.Epochs);
                wall.Add(clock.Elapsed.TotalSeconds / spec.Epochs);
                rounds = report.Rounds;
                roundsPerStep = report.RoundsPerStep;
            }
        }
        return (epoch, wall, startup, rounds, roundsPerStep);
    }
}

/// <summary>The figures of <c>bench training</c> (medians, seconds per epoch).</summary>
internal sealed record TrainingBenchResult(int Epochs, int Repeats, int Threads, long Rounds, double RoundsPerStep, double PlaintextSecondsPerEpoch,
    double SimulatorSecondsPerEpoch, double ClusterSecondsPerEpoch, double ClusterWallSecondsPerEpoch, double ClusterStartupSeconds,
    double? ClusterTlsSecondsPerEpoch = null);
