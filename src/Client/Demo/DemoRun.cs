using System.Text.Json;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Training;
using SecureCompute.Mpc.Approximations;
using SecureCompute.Mpc.Encoding;
using SecureCompute.Mpc.Simulation;
using Spectre.Console;

namespace SecureCompute.Client.Demo;

/// <summary>
/// The demo: joint training on the repository's data among parties simulated in this process, beside the plaintext
/// baseline on the pooled rows, then report.json and model.json.
/// </summary>
internal static class DemoRun
{
    /// <summary>What this version runs the parties on.</summary>
    public const string Engine = "in-process simulator (the same protocol steps the grains will run; Orleans hosting is the next increment)";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>Runs the demo; returns the exit code.</summary>
    public static int Run(DemoOptions options)
    {
        IReadOnlyList<PartyDataset> parties = Load(options);
        TrainingSpec spec = options.Spec;
        AnsiConsole.MarkupLine($"[bold]SecureCompute demo[/]: {parties.Count} parties, {parties.Sum(p => p.Rows)} rows, {parties[0].Columns} features, " +
                               $"label [italic]{Markup.Escape(parties[0].LabelName)}[/], {spec.Model.ToString().ToLowerInvariant()} regression");
        AnsiConsole.MarkupLine($"engine: {Markup.Escape(Engine)}");

        using IDisposable? telemetry = Telemetry.Start(options.Trace);
        using var mpc = new LocalMpc(parties.Count, reproducibleSeed: spec.Seed);
        TrainingResult secure = null!;
        AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("secure training", maxValue: spec.Epochs);
                secure = SecureTrainer.Train(mpc, parties, spec, (epoch, loss) =>
                {
                    task.Description = $"epoch {epoch}/{spec.Epochs}, loss {loss:F4}";
                    task.Increment(1);
                });
            });

        double[] exact = PlaintextTrainer.Train(parties, spec, secure.Standardisation, PlaintextTrainer.Sigmoid, out double[] exactLoss);
        double[] same = PlaintextTrainer.Train(parties, spec, secure.Standardisation, spec.Sigmoid.Evaluate);
        double fidelity = secure.Weights.Zip(same, (a, b) => Math.Abs(a - b)).Max();
        DemoReport report = Report(parties, spec, secure, exact, exactLoss, fidelity) with { Session = mpc.Session };
        Print(report, spec);
        Write(options.Out, report, Model(parties[0], spec, secure));
        return 0;
    }

    private static IReadOnlyList<PartyDataset> Load(DemoOptions options)
    {
        PartyDataset[] files = options.Data.GetFiles("*.csv").OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => CsvDataset.Load(f.FullName, options.Label)).ToArray();
        PartySchemas.RequireSame(files.Length >= 2 ? files : files.Concat(files).ToArray());
        foreach (PartyDataset file in files)
        {
            file.RequireWithin(FixedPointFormat.Default.MaxMagnitude);
        }
        int parties = options.Parties ?? files.Length;
        if (parties < 2)
        {
            throw new DatasetException(options.Data.FullName, $"holds {files.Length} CSV file; joint training needs at least 2 parties (or --parties N to split it)");
        }
        return parties == files.Length ? files : Resplit(files, parties);
    }

    /// <summary>Pools the files' rows and cuts them into <paramref name="parties"/> contiguous blocks (demo only: all data is local).</summary>
    private static PartyDataset[] Resplit(PartyDataset[] files, int parties)
    {
        int d = files[0].Columns;
        double[] features = files.SelectMany(f => f.Features).ToArray();
        double[] labels = files.SelectMany(f => f.Labels).ToArray();
        return Enumerable.Range(0, parties).Select(i =>
        {
            int start = labels.Length * i / parties, end = labels.Length * (i + 1) / parties;
            return new PartyDataset($"{files[0].Source} (party {i + 1} of {parties})", files[0].FeatureNames, files[0].LabelName,
                features[(start * d)..(end * d)], labels[start..end]);
        }).ToArray();
    }

    private static DemoReport Report(IReadOnlyList<PartyDataset> parties, TrainingSpec spec, TrainingResult secure, double[] exact, double[] exactLoss, double fidelity)
    {
        bool logistic = spec.Model == ModelKind.Logistic;
        ModelFigures Figures(double[] weights, double[] loss)
        {
            double quality = PlaintextTrainer.Evaluate(parties, spec, secure.Standardisation, weights);
            return new ModelFigures { Accuracy = logistic ? quality : null, Mse = logistic ? null : quality, EpochLoss = loss };
        }
        return new DemoReport
        {
            Engine = Engine,
            Session = "",
            Parties = parties.Count,
            Model = spec.Model.ToString().ToLowerInvariant(),
            Secure = Figures(secure.Weights, secure.EpochLoss),
            Plaintext = Figures(exact, exactLoss),
            MaxAbsWeightDiff = fidelity,
            Rounds = secure.Rounds,
            RoundsPerStep = secure.RoundsPerStep,
            BytesOpened = secure.BytesOpened,
            DealerBytes = secure.DealerBytes,
            SecondsPerEpoch = secure.Seconds / spec.Epochs,
            Released = new[] { "per-feature mean and standard deviation over all parties", "per-epoch loss", "the final weights (to all parties)", "row counts, schema, hyper-parameters" },
        };
    }

    private static ModelFile Model(PartyDataset schema, TrainingSpec spec, TrainingResult secure) =>
        new(spec.Model.ToString().ToLowerInvariant(), schema.FeatureNames, schema.LabelName, secure.Weights[..^1], secure.Weights[^1],
            secure.Standardisation.Mean, secure.Standardisation.StandardDeviation);

    private static void Print(DemoReport r, TrainingSpec spec)
    {
        bool logistic = spec.Model == ModelKind.Logistic;
        var table = new Table().AddColumn("").AddColumn(new TableColumn("secure (MPC)").RightAligned()).AddColumn(new TableColumn("plaintext baseline").RightAligned());
        table.AddRow(logistic ? "accuracy" : "MSE",
            logistic ? $"{r.Secure.Accuracy:P2}" : $"{r.Secure.Mse:F2}", logistic ? $"{r.Plaintext.Accuracy:P2}" : $"{r.Plaintext.Mse:F2}");
        table.AddRow("final epoch loss", $"{r.Secure.EpochLoss[^1]:F4}", $"{r.Plaintext.EpochLoss[^1]:F4}");
        table.AddRow("max |Δw| vs same approximation", $"{r.MaxAbsWeightDiff:E2}", "");
        table.AddRow("rounds (per step)", $"{r.Rounds:N0} ({r.RoundsPerStep:F0})", "");
        table.AddRow("bytes opened / dealer bytes", $"{r.BytesOpened:N0} / {r.DealerBytes:N0}", "");
        table.AddRow("seconds per epoch", $"{r.SecondsPerEpoch:F2}", "");
        AnsiConsole.Write(table);
    }

    /// <summary>Writes both files through temporary names, so a failure leaves neither half-written.</summary>
    private static void Write(DirectoryInfo folder, DemoReport report, ModelFile model)
    {
        folder.Create();
        string reportPath = Path.Combine(folder.FullName, "report.json");
        string modelPath = Path.Combine(folder.FullName, "model.json");
        File.WriteAllText(reportPath + ".tmp", JsonSerializer.Serialize(report, Json));
        File.WriteAllText(modelPath + ".tmp", JsonSerializer.Serialize(model, Json));
        File.Move(reportPath + ".tmp", reportPath, overwrite: true);
        File.Move(modelPath + ".tmp", modelPath, overwrite: true);
        AnsiConsole.MarkupLine($"wrote {Markup.Escape(reportPath)} and {Markup.Escape(modelPath)}");
    }
}
