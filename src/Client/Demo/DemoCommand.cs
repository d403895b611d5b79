using System.CommandLine;
using SecureCompute.Client.Cli;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Mpc.Encoding;
using SecureCompute.Mpc.Runtime;

namespace SecureCompute.Client.Demo;

/// <summary><c>demo</c>: joint secure training on data the repository ships.</summary>
internal static class DemoCommand
{
    /// <summary>The shipped default data set, relative to the repository root.</summary>
    public const string DefaultData = "data/breast-cancer";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var parties = new Option<int?>("--parties") { Description = "Re-split the pooled rows among N parties (default: one party per CSV file)." };
        var data = new Option<DirectoryInfo?>("--data") { Description = $"Folder whose *.csv files are the parties' rows (default: {DefaultData})." };
        var label = new Option<string?>("--label") { Description = "Label column (default: the last column)." };
        var model = new EnumOption<SessionModel>("--model", "The model (softmax and MLP: classes 0..K−1, K from the labels).", SessionModel.Logistic,
            new[] { ("logistic", SessionModel.Logistic), ("linear", SessionModel.Linear), ("softmax", SessionModel.Softmax), ("mlp", SessionModel.Mlp) });
        var hidden = new Option<string?>("--hidden") { Description = "An MLP's hidden layer widths, comma-separated (default 128,128)." };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the data.", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch-size") { Description = "Rows per SGD step.", DefaultValueFactory = _ => 64 };
        var rate = new Option<double?>("--learning-rate") { Description = "SGD step size (default 1.0 logistic, 0.1 linear, 0.5 softmax and MLP)." };
        var degree = new Option<int>("--sigmoid-degree") { Description = "Degree of the clipped Chebyshev sigmoid (odd, 3..31); 7 saves 2 rounds per step.", DefaultValueFactory = _ => 15 };
        var seed = new Option<int>("--seed") { Description = "Seeds the batch order and the simulation's randomness.", DefaultValueFactory = _ => 1 };
        var trace = new EnumOption<TraceExport>("--trace", "Where round spans and metrics go (otlp: OTEL_EXPORTER_OTLP_ENDPOINT).", TraceExport.None,
            new[] { ("none", TraceExport.None), ("console", TraceExport.Console), ("otlp", TraceExport.Otlp) });
        var engine = new EnumOption<DemoEngine>("--engine", "Where the parties run: cluster (a silo per party and a dealer silo in this process) or simulator.",
            DemoEngine.Cluster, new[] { ("cluster", DemoEngine.Cluster), ("simulator", DemoEngine.Simulator) });
        var recipients = new Option<string?>("--recipients")
        {
            Description = $"Comma-separated recipients of the model: party ids and/or client identities (party:name); default every party and the demo's own client ({DemoCluster.Client}).",
        };
        var epsilon = new Option<double?>("--epsilon") { Description = "Train with differential privacy spending this ε (docs/privacy.md); omitted: non-private." };
        var delta = new Option<double>("--delta") { Description = "δ of a DP session (below 1/rows).", DefaultValueFactory = _ => 1e-5 };
        var mechanism = new EnumOption<PrivacyMechanism>("--mechanism", "The DP mechanism (with --epsilon).", PrivacyMechanism.DpSgd,
            new[] { ("dpsgd", PrivacyMechanism.DpSgd), ("output", PrivacyMechanism.Output) });
        var clip = new Option<double>("--clip-norm") { Description = "DP-SGD's per-example clip norm C (with --epsilon).", DefaultValueFactory = _ => 1.0 };
        var bounds = new Option<FileInfo?>("--bounds") { Description = "Public per-feature bounds, CSV feature,lower,upper (with --epsilon; default bounds/NAME.csv beside the data folder NAME)." };
        var statistics = new Option<string>("--statistics")
        {
            Description = "How DP-SGD standardises (with --epsilon): bounds (the public bounds alone) or private (a noisy mean and deviation within them, 30% of ε).",
            DefaultValueFactory = _ => "bounds",
        };
        statistics.AcceptOnlyFromAmong("bounds", "private");
        var mode = new EnumOption<SessionMode>("--mode",
            "mpc (every step on secret shares) or federated (each party trains locally; only the secure sum of the updates is released each round; epochs are rounds).",
            SessionMode.Mpc, new[] { ("mpc", SessionMode.Mpc), ("federated", SessionMode.Federated) });
        var localEpochs = new Option<int>("--local-epochs") { Description = "Federated: passes each party makes over its own rows per round.", DefaultValueFactory = _ => 1 };
        var updateClip = new Option<double?>("--update-clip") { Description = "Federated: scale each party's weight delta to L2 norm ≤ this (default: no clip)." };
        var proximal = new Option<double>("--proximal") { Description = "Federated: FedProx's μ (0: FedAvg).", DefaultValueFactory = _ => 0 };
        var split = new EnumOption<DemoSplit>("--split", "How the rows are divided: iid (the files, or blocks of the pooled rows) or label-skew (sorted by label, then cut).",
            DemoSplit.Iid, new[] { ("iid", DemoSplit.Iid), ("label-skew", DemoSplit.LabelSkew) });
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for report.json, model.json, loss.png and (classifiers) accuracy.png.", DefaultValueFactory = _ => new DirectoryInfo("out/demo") };
        var command = new Command("demo", "Train a model jointly across parties on secret-shared data, beside a plaintext baseline.")
        {
            parties, data, label, model, hidden, epochs, batch, rate, seed, degree, output, trace, engine, recipients, epsilon, delta, mechanism, clip, bounds, statistics,
            mode, localEpochs, updateClip, proximal, split,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var problems = new List<string>();
            SessionModel kind = model.ValueIn(result);
            int[]? widths = null;
            if (result.GetValue(hidden) is { } text)
            {
                string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
                widths = parts.Select(p => int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int w) && w is >= 1 and <= 4096 ? w : -1).ToArray();
                if (widths.Any(w => w < 0) || widths.Length is < 1 or > 8)
                {
                    problems.Add($"--hidden must be 1 to 8 comma-separated widths between 1 and 4096, not '{text}'.");
                }
                if (kind != SessionModel.Mlp)
                {
                    problems.Add("--hidden belongs to --model mlp.");
                }
            }
            double learningRate = result.GetValue(rate) ?? Train.SessionSpecFile.DefaultLearningRate(kind);
            // Widths that are not valid are reported above, once; the spec carries an MLP's valid ones only.
            bool validWidths = widths is not null && widths.All(w => w > 0) && widths.Length is >= 1 and <= 8;
            SessionSpec spec = DemoOptions.SessionParameters(kind, result.GetValue(epochs), result.GetValue(batch), learningRate, result.GetValue(seed),
                result.GetValue(degree), kind == SessionModel.Mlp && validWidths ? widths : null);
            SessionMode chosen = mode.ValueIn(result);
            bool federatedOptions = result.GetResult(localEpochs) is { Implicit: false } || result.GetResult(updateClip) is { Implicit: false }
                || result.GetResult(proximal) is { Implicit: false };
            if (chosen == SessionMode.Federated)
            {
                spec = spec with { Mode = SessionMode.Federated, Federated = new SessionFederated(result.GetValue(localEpochs), result.GetValue(updateClip), result.GetValue(proximal)) };
            }
            else if (federatedOptions)
            {
                problems.Add("--local-epochs, --update-clip and --proximal belong to --mode federated.");
            }
            var options = new DemoOptions(result.GetValue(data) ?? FindDefaultData(), result.GetValue(parties), result.GetValue(label), spec, result.GetValue(output)!,
                trace.ValueIn(result), engine.ValueIn(result),
                result.GetValue(recipients)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                result.GetValue(epsilon) is { } e ? new DemoPrivacy(e, result.GetValue(delta), mechanism.ValueIn(result), result.GetValue(clip), result.GetValue(bounds),
                    result.GetValue(statistics) == "private" ? Learning.Privacy.DpSgdAccounting.DefaultStatisticsShare : null) : null,
                split.ValueIn(result));
            problems.AddRange(options.Validate());
            if (problems.Count > 0)
            {
                problems.ForEach(p => Console.Error.WriteLine($"error: {p}"));
                return 2;
            }
            try
            {
                return await DemoRun.RunAsync(options, cancellationToken);
            }
            catch (Exception ex) when (ex is DatasetException or FixedPointRangeException or SessionFailedException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
            catch (TorchUnavailableException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 3;
            }
        });
        return command;
    }

    /// <summary>The shipped data, found from the working folder or from the program's folder upwards.</summary>
    internal static DirectoryInfo FindDefaultData()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, DefaultData);
                if (Directory.Exists(candidate))
                {
                    return new DirectoryInfo(candidate);
                }
            }
        }
        return new DirectoryInfo(DefaultData);
    }
}
