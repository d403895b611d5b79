using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecureCompute.Client.Cli;
using SecureCompute.Client.Output;
using SecureCompute.Client.Privacy;
using SecureCompute.Grains.Data;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Privacy.Accounting;
using SecureCompute.Learning.Programs;

namespace SecureCompute.Client.Frontier;

/// <summary>
/// <c>frontier --data DIR [--label L] [--model M] --epsilons 0.5,1,2,4,8 --seeds 20 [--mechanism dpsgd,output] --json F --plot P.png</c>:
/// held-out accuracy (or MSE) against ε for the secure DP model, its plaintext twin and the non-private model.
/// Exit 0, 2 on bad input.
/// </summary>
internal static class FrontierCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>What <c>--json</c> writes.</summary>
    internal sealed record Report(string Data, string Model, string Metric, string Engine, string Accountant, double Delta, int Epochs, int BatchSize,
        double LearningRate, double ClipNorm, int Seeds, string Bounds, string Accounting, NonPrivateBaseline NonPrivate, IReadOnlyList<FrontierRow> Rows,
        string Statistics = "bounds", double? StatisticsShare = null, int? ToleratedCoalition = null);

    /// <summary>How a DP-SGD program standardises.</summary>
    internal enum Statistics
    {
        /// <summary>By the public bounds alone (nothing released).</summary>
        Bounds,

        /// <summary>By a noisy mean and mean absolute deviation, released with a share of the budget.</summary>
        Private,
    }

    /// <summary>The engines a frontier can run on.</summary>
    internal enum Engine
    {
        /// <summary>A silo per party and a dealer silo in this process: every (ε, seed) a real DP session.</summary>
        Cluster,

        /// <summary>Every party in this process, over the in-process transport (the twin can then draw the same noise).</summary>
        Simulator,
    }

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "A folder with one CSV per party (header, numeric columns, the label last).", Required = true };
        var label = new Option<string>("--label") { Description = "The label column (default: the last)." };
        var model = new EnumOption<ModelKind>("--model", "The model.", ModelKind.Logistic,
            [("logistic", ModelKind.Logistic), ("softmax", ModelKind.Softmax), ("linear", ModelKind.Linear), ("mlp", ModelKind.Mlp)]);
        var hidden = new IntListOption("--hidden", "MLP hidden widths, e.g. 32 or 64,32 (default 32).", 1, 4096);
        var epsilons = new Option<string>("--epsilons") { Description = "The ε values, comma-separated.", DefaultValueFactory = _ => "0.5,1,2,4,8" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per ε (held-out split, batches, initialisation and noise).", DefaultValueFactory = _ => 20 };
        var mechanism = new Option<string>("--mechanism") { Description = "The DP mechanisms, comma-separated: dpsgd, output (output perturbation, logistic regression).", DefaultValueFactory = _ => "dpsgd" };
        var l2 = new Option<double>("--l2") { Description = "Output perturbation's L2 regularisation λ.", DefaultValueFactory = _ => Learning.Privacy.OutputPerturbationSpec.DefaultRegularisation };
        var delta = new Option<double>("--delta") { Description = "δ (below 1/rows).", DefaultValueFactory = _ => 1e-5 };
        var bounds = new Option<FileInfo>("--bounds") { Description = "Public per-feature bounds, CSV feature,lower,upper (default: bounds/NAME.csv beside the data folder NAME)." };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (each one Gaussian mechanism per row).", DefaultValueFactory = _ => 20 };
        var batch = new Option<int>("--batch-size") { Description = "Batch size (public, disjoint batches; the default takes a small table whole: one step per epoch).", DefaultValueFactory = _ => 512 };
        var rate = new Option<double>("--learning-rate") { Description = "SGD learning rate.", DefaultValueFactory = _ => 4.0 };
        var clip = new Option<double>("--clip-norm") { Description = "C: each example's gradient is clipped to this L2 norm.", DefaultValueFactory = _ => 1.0 };
        var accountant = new EnumOption<AccountantKind>("--accountant", "The accountant that calibrates σ.", AccountantKind.Rdp,
            [("rdp", AccountantKind.Rdp), ("prv", AccountantKind.Prv)]);
        var engine = new EnumOption<Engine>("--engine", "Where the secure model trains: cluster (a silo per party; each party calibrates σ and draws its own noise) or simulator (one engine; the twin draws the same noise).",
            Engine.Cluster, [("cluster", Engine.Cluster), ("simulator", Engine.Simulator)]);
        var statistics = new EnumOption<Statistics>("--statistics", "How DP-SGD standardises: by the public bounds alone, or by private statistics (a noisy mean and deviation within them, taking --statistics-share of the budget).",
            Statistics.Bounds, [("bounds", Statistics.Bounds), ("private", Statistics.Private)]);
        var share = new Option<double>("--statistics-share") { Description = "With --statistics private: the statistics' share of the budget (of the composed Gaussian's precision).", DefaultValueFactory = _ => Learning.Privacy.DpSgdAccounting.DefaultStatisticsShare };
        var tolerate = new Option<int?>("--tolerate") { Description = "The tolerated coalition t: how many parties may pool their own noise and still face σ from the others (default n − 1; each party adds variance σ²/(n − t))." };
        var json = new Option<FileInfo>("--json") { Description = "Write the frontier as JSON here.", Required = true };
        var plot = new Option<FileInfo>("--plot") { Description = "Write the chart (PNG) here." };
        var command = new Command("frontier", "The privacy–utility frontier: held-out accuracy (or MSE) against ε, secure DP vs plaintext DP vs non-private.")
        {
            data, label, model, hidden, epsilons, seeds, mechanism, l2, delta, bounds, epochs, batch, rate, clip, accountant, engine, statistics, share, tolerate, json, plot,
        };
        command.SetAction(result =>
        {
            var problems = new List<string>();
            double[] eps = ParseEpsilons(result.GetValue(epsilons)!, problems);
            FrontierMechanism[] mechanisms = ParseMechanisms(result.GetValue(mechanism)!, problems);
            double lambda = result.GetValue(l2);
            int seedCount = result.GetValue(seeds), epochCount = result.GetValue(epochs), batchSize = result.GetValue(batch);
            double d = result.GetValue(delta), lr = result.GetValue(rate), c = result.GetValue(clip);
            DirectoryInfo folder = result.GetValue(data)!;
            foreach ((bool bad, string problem) in new[]
            {
                (seedCount is < 1 or > 1000, $"--seeds must be 1 to 1000, not {seedCount}."),
                (epochCount is < 1 or > 1000, $"--epochs must be 1 to 1000, not {epochCount}."),
                (batchSize < 1, $"--batch-size must be at least 1, not {batchSize}."),
                (!(d > 0 && d < 1), $"--delta must be in (0, 1), not {d}."),
                (!(lr > 0) || double.IsInfinity(lr), $"--learning-rate must be positive, not {lr}."),
                (!(c > 0 && c <= 1000), $"--clip-norm must be in (0, 1000], not {c}."),
                (!(lambda > 0 && lambda <= 10), $"--l2 must be in (0, 10], not {lambda}."),
                (!(result.GetValue(share) is > 0 and < 1), $"--statistics-share must be in (0, 1), not {result.GetValue(share)}."),
                (!folder.Exists, $"--data {folder.FullName} does not exist."),
            })
            {
                if (bad)
                {
                    problems.Add(problem);
                }
            }
            if (problems.Count > 0)
            {
                return Fail(problems);
            }
            ModelKind kind = model.ValueIn(result);
            Engine where = engine.ValueIn(result);
            if (where == Engine.Cluster && accountant.ValueIn(result) == AccountantKind.Prv && mechanisms.Contains(FrontierMechanism.DpSgd))
            {
                return Fail(["--accountant prv: on the cluster every party calibrates DP-SGD's σ by RDP, as every session does; use --engine simulator to calibrate by PRV."]);
            }
            if (mechanisms.Contains(FrontierMechanism.Output) && kind != ModelKind.Logistic)
            {
                return Fail([$"--mechanism output is built for logistic regression (its sensitivity needs a convex, Lipschitz, smooth loss), not --model {kind.ToString().ToLowerInvariant()}."]);
            }
            try
            {
                PartyDataset[] files = folder.GetFiles("*.csv").OrderBy(f => f.Name, StringComparer.Ordinal)
                    .Select(f => CsvDataset.Load(f.FullName, result.GetValue(label))).ToArray();
                if (files.Length < 2)
                {
                    return Fail([$"--data {folder.FullName} holds {files.Length} party file(s); a frontier needs at least 2."]);
                }
                if (result.GetValue(tolerate) is { } t && (t < 0 || t >= files.Length))
                {
                    return Fail([$"--tolerate must be between 0 and {files.Length - 1} (the parties less one), not {t}."]);
                }
                var (lower, upper, boundsPath) = FeatureBounds.Find(result.GetValue(bounds), folder, files[0].FeatureNames);
                PartyRows[] rows = files.Select(f => new PartyRows(Path.GetFileNameWithoutExtension(f.Source), f.Features, f.Labels, f.Columns)).ToArray();
                int classes = kind is ModelKind.Softmax or ModelKind.Mlp ? (int)rows.Max(r => r.Labels.Max()) + 1 : 1;
                IReadOnlyList<int> widths = kind == ModelKind.Mlp ? (result.GetValue(hidden) is { Length: > 0 } h ? h : new[] { 32 }) : Array.Empty<int>();
                var modelSpec = new ModelSpec(kind, files[0].Columns, classes, widths);
                FrontierCluster? cluster = where == Engine.Cluster ? FrontierCluster.StartAsync(files, lower, upper, CancellationToken.None).GetAwaiter().GetResult() : null;
                var settings = new FrontierRun.Settings(rows, modelSpec, epochCount, batchSize, lr, c, lower, upper, eps, seedCount, d, accountant.ValueIn(result), mechanisms, lambda,
                    statistics.ValueIn(result) == Statistics.Private ? result.GetValue(share) : null, result.GetValue(tolerate), cluster);
                NonPrivateBaseline nonPrivate;
                List<FrontierRow> frontier;
                try
                {
                    (nonPrivate, frontier) = FrontierRun.Run(settings, Console.WriteLine);
                }
                finally
                {
                    cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
                string metric = FrontierRun.Metric(kind);
                var c0 = CultureInfo.InvariantCulture;
                Console.WriteLine($"{"mechanism",9} {"ε",6} {"σ",8} {"secure",16} {"plaintext twin",16} {"non-private",16}");
                foreach (var r in frontier)
                {
                    Console.WriteLine(string.Create(c0, $"{r.Mechanism,9} {r.Epsilon,6:G3} {r.Sigma,8:0.000} {r.Secure.Mean,8:0.0000} ± {r.Secure.Std,5:0.0000} {r.Plaintext.Mean,8:0.0000} ± {r.Plaintext.Std,5:0.0000} {nonPrivate.Plaintext.Mean,8:0.0000} ± {nonPrivate.Plaintext.Std,5:0.0000}   ×{r.CostRatio:0.00} time"));
                }
                string accounting = where == Engine.Cluster && mechanisms.Contains(FrontierMechanism.Output)
                    ? (mechanisms.Contains(FrontierMechanism.DpSgd) ? "rdp (dpsgd), prv (output)" : "prv")
                    : PrivacyOptionsName(accountant.ValueIn(result));
                var report = new Report(folder.Name, kind.ToString().ToLowerInvariant(), metric, where == Engine.Cluster ? "cluster" : "simulator", accounting, d,
                    epochCount, batchSize, lr, c, seedCount, Path.GetFileName(boundsPath),
                    string.Join(" ", mechanisms.Select(m => m == FrontierMechanism.DpSgd
                        ? (settings.StatisticsShare is null ? "" : "statistics: two Gaussian releases (a noisy per-feature sum within the public bounds, then the sum of absolute deviations about it) of multiplier statisticsSigma, composed with training. ")
                        + "dpsgd: public disjoint batches, no amplification by sampling claimed; each epoch is one Gaussian mechanism per row (sample rate 1, steps = epochs); the model is the only release."
                        : "output: one Gaussian mechanism (sample rate 1, one step) of multiplier sigma on the final weights, whose L2 sensitivity is the row's sensitivity (docs/privacy.md); the noised model is the only release.")),
                    nonPrivate, frontier, settings.StatisticsShare is null ? "bounds" : "private", settings.StatisticsShare,
                    settings.ToleratedCoalition ?? files.Length - 1);
                FileInfo jsonFile = result.GetValue(json)!;
                AtomicFile.WriteAllText(jsonFile.FullName, JsonSerializer.Serialize(report, Json) + "\n");
                Console.WriteLine($"wrote {jsonFile.FullName}");
                if (result.GetValue(plot) is { } png)
                {
                    FrontierChart.Write(png.FullName, frontier, nonPrivate.Plaintext, metric, $"{folder.Name}: {report.Model}, {string.Join(" and ", frontier.Select(r => r.Mechanism).Distinct())}, delta = {d:G2}, {seedCount} seeds");
                    Console.WriteLine($"wrote {png.FullName}");
                }
                return 0;
            }
            catch (DatasetException e)
            {
                return Fail([e.Message]);
            }
            catch (ArgumentException e)
            {
                return Fail([e.Message]);
            }
        });
        return command;
    }

    private static string PrivacyOptionsName(AccountantKind kind) => kind == AccountantKind.Rdp ? "rdp" : "prv";

    private static double[] ParseEpsilons(string text, List<string> problems)
    {
        var values = new List<double>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double e) || !(e > 0) || double.IsInfinity(e))
            {
                problems.Add($"--epsilons must be positive numbers separated by commas; '{part}' is not one.");
                continue;
            }
            values.Add(e);
        }
        if (values.Count == 0 && problems.Count == 0)
        {
            problems.Add("--epsilons is empty.");
        }
        return values.Distinct().Order().ToArray();
    }

    private static FrontierMechanism[] ParseMechanisms(string text, List<string> problems)
    {
        var values = new List<FrontierMechanism>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "dpsgd":
                    values.Add(FrontierMechanism.DpSgd);
                    break;
                case "output":
                    values.Add(FrontierMechanism.Output);
                    break;
                default:
                    problems.Add($"--mechanism takes dpsgd and/or output, comma-separated; '{part}' is neither.");
                    break;
            }
        }
        if (values.Count == 0 && problems.Count == 0)
        {
            problems.Add("--mechanism is empty.");
        }
        return values.Distinct().ToArray();
    }

    private static int Fail(IEnumerable<string> problems)
    {
        foreach (string problem in problems)
        {
            Console.Error.WriteLine($"error: {problem}");
        }
        return 2;
    }
}
