using System.Text.Json;
using SecureCompute.Client.Charts;
using SecureCompute.Client.Output;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Training;
using SecureCompute.Mpc.Approximations;
using SecureCompute.Mpc.Encoding;
using SecureCompute.Mpc.Engine;
using Spectre.Console;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Client.Demo;

/// <summary>
/// The demo: joint training on the repository's data among parties on an embedded cluster (a silo per party and a
/// dealer silo in this process) or the simulator, beside the plaintext baseline on the pooled rows, then report.json,
/// model.json, loss.png and (logistic) accuracy.png.
/// </summary>
internal static class DemoRun
{
    /// <summary>The simulator engine's description.</summary>
    public const string SimulatorEngine = "in-process simulator (every party in one engine, no Orleans)";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>Runs the demo; returns the exit code.</summary>
    public static async Task<int> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        IReadOnlyList<PartyDataset> parties = Load(options);
        TrainingSpec spec = options.Spec;
        if (DemoLearningRun.Handles(spec.Model))
        {
            return await DemoLearningRun.RunAsync(options, parties, PartyIds(options, parties), cancellationToken);
        }
        AnsiConsole.MarkupLine($"[bold]SecureCompute demo[/]: {parties.Count} parties, {parties.Sum(p => p.Rows)} rows, {parties[0].Columns} features, " +
                               $"label [italic]{Markup.Escape(parties[0].LabelName)}[/], {spec.Model.Name()} regression");

        using IDisposable? telemetry = Telemetry.Start(options.Trace);
        string engine;
        string session;
        TrainingResult secure;
        DemoClusterRun? clusterRun = null;
        if (options.Engine == DemoEngine.Cluster)
        {
            string[] ids = PartyIds(options, parties);
            engine = $"embedded Orleans cluster: {parties.Count} party silos + 1 dealer silo on loopback, one process";
            AnsiConsole.MarkupLine($"engine: {Markup.Escape(engine)}");
            session = $"demo-{Guid.NewGuid():N}"[..17];
            clusterRun = await DemoCluster.TrainAsync(ids, parties, spec, session, options.Recipients, cancellationToken);
            // The figures below need the model: as the demo's client received it, else as the first recipient party did.
            double[] received = clusterRun.Secure.Weights.Length > 0 ? clusterRun.Secure.Weights
                : clusterRun.PartyModels.Values.FirstOrDefault() ?? throw new DatasetException(options.Data.FullName,
                    "--recipients names neither a party nor the demo's own client, so the demo cannot see the model it reports on");
            secure = clusterRun.Secure with { Weights = received };
        }
        else
        {
            engine = SimulatorEngine;
            AnsiConsole.MarkupLine($"engine: {Markup.Escape(engine)}");
            using var mpc = new MpcEngine(parties.Count, reproducibleSeed: spec.Seed);
            session = mpc.Session;
            TrainingResult? result = null;
            AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    ProgressTask task = context.AddTask("secure training", maxValue: spec.Epochs);
                    result = SecureTrainer.Train(mpc, parties, spec, (epoch, loss) =>
                    {
                        task.Description = $"epoch {epoch}/{spec.Epochs}, loss {loss:F4}";
                        task.Increment(1);
                    });
                });
            secure = result!;
        }

        double[] exact = PlaintextTrainer.Train(parties, spec, secure.Standardisation, PlaintextTrainer.Sigmoid, out double[] exactLoss, out double[] exactQuality);
        double[] same = PlaintextTrainer.Train(parties, spec, secure.Standardisation, spec.Sigmoid.Evaluate);
        double fidelity = secure.Weights.Zip(same, (a, b) => Math.Abs(a - b)).Max();
        DemoReport report = Report(parties, spec, secure, exact, exactLoss, exactQuality, fidelity) with { Session = session, Engine = engine };
        if (clusterRun is not null)
        {
            report = report with
            {
                Recipients = clusterRun.Recipients,
                Released = report.Released.Select(r => r.StartsWith("the final weights", StringComparison.Ordinal)
                    ? $"the final weights (to {string.Join(", ", clusterRun.Recipients)} only)" : r).ToArray(),
            };
        }
        Print(report, spec);
        bool clientGotModel = clusterRun is null || clusterRun.Secure.Weights.Length > 0;
        Write(options.Out, report, clientGotModel ? Model(parties[0], spec, secure) : null);
        if (clusterRun is not null)
        {
            DemoGovernance.Write(options.Out, clusterRun, id => Model(parties[0], spec, secure with { Weights = clusterRun.PartyModels[id] }));
        }
        return 0;
    }

    /// <summary>The parties' ids: the files' names, or party-1..N when the rows were re-split.</summary>
    internal static string[] PartyIds(DemoOptions options, IReadOnlyList<PartyDataset> parties)
    {
        string[] names = options.Data.GetFiles("*.csv").OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => Path.GetFileNameWithoutExtension(f.Name)).ToArray();
        bool usable = names.Length == parties.Count && names.All(n => n.Length > 0 && n.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
        return usable ? names : Enumerable.Range(1, parties.Count).Select(i => $"party-{i}").ToArray();
    }

    internal static IReadOnlyList<PartyDataset> Load(DemoOptions options)
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

    private static DemoReport Report(IReadOnlyList<PartyDataset> parties, TrainingSpec spec, TrainingResult secure, double[] exact, double[] exactLoss,
        double[] exactQuality, double fidelity)
    {
        bool logistic = spec.Model == SessionModel.Logistic;
        ModelFigures Figures(double[] weights, double[] loss, double[]? epochQuality)
        {
            double quality = PlaintextTrainer.Evaluate(parties, spec, secure.Standardisation, weights);
            return new ModelFigures { Accuracy = logistic ? quality : null, Mse = logistic ? null : quality, EpochLoss = loss, EpochAccuracy = logistic ? epochQuality : null };
        }
        return new DemoReport
        {
            Engine = "",
            Session = "",
            Parties = parties.Count,
            Model = spec.Model.Name(),
            Secure = Figures(secure.Weights, secure.EpochLoss, null),
            Plaintext = Figures(exact, exactLoss, exactQuality),
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
        new(spec.Model.Name(), schema.FeatureNames, schema.LabelName, secure.Weights[..^1], secure.Weights[^1],
            secure.Standardisation.Mean, secure.Standardisation.StandardDeviation);

    private static void Print(DemoReport r, TrainingSpec spec)
    {
        bool logistic = spec.Model == SessionModel.Logistic;
        var table = new Table().AddColumn("").AddColumn(new TableColumn("secure (MPC)").RightAligned()).AddColumn(new TableColumn("plaintext baseline").RightAligned());
        table.AddRow(logistic ? "accuracy" : "MSE",
            logistic ? $"{r.Secure.Accuracy:P2}" : $"{r.Secure.Mse:F2}", logistic ? $"{r.Plaintext.Accuracy:P2}" : $"{r.Plaintext.Mse:F2}");
        table.AddRow("final epoch loss", $"{r.Secure.EpochLoss[^1]:F4}", $"{r.Plaintext.EpochLoss[^1]:F4}");
        table.AddRow("max |Δw| vs same approximation", $"{r.MaxAbsWeightDiff:E2}", "");
        table.AddRow("rounds (per step)", $"{r.Rounds:N0} ({r.RoundsPerStep:F0})", "");
        table.AddRow("bytes opened / dealer bytes", $"{r.BytesOpened:N0} / {r.DealerBytes:N0}", "");
        table.AddRow("seconds per epoch", $"{r.SecondsPerEpoch:F2}", "");
        AnsiConsole.Write(table);
        PrintEpochAccuracy(r.Plaintext);
    }

    /// <summary>The plaintext baseline's accuracy after each epoch, one line per set of rows (nothing for regression).</summary>
    internal static void PrintEpochAccuracy(ModelFigures plaintext)
    {
        static string Series(double[] values) => values.Length <= 12
            ? string.Join(" ", values.Select(v => $"{v:P1}"))
            : $"{string.Join(" ", values[..6].Select(v => $"{v:P1}"))} … {string.Join(" ", values[^5..].Select(v => $"{v:P1}"))}";
        if (plaintext.EpochAccuracy is { Length: > 0 } train)
        {
            Console.WriteLine($"plaintext baseline accuracy per epoch, training rows: {Series(train)}");
        }
        if (plaintext.EpochHeldOutAccuracy is { Length: > 0 } held)
        {
            Console.WriteLine($"plaintext baseline accuracy per epoch, held-out rows: {Series(held)}");
        }
    }

    /// <summary>
    /// Writes report.json, model.json, loss.png and, for a classifier, accuracy.png with <see cref="AtomicFile"/>, each
    /// whole or not at all, after all of them are made (so a chart that fails replaces none); no model.json (and none
    /// left from an earlier run) when the demo's client is not a recipient, no accuracy.png (and none left) for
    /// regression.
    /// </summary>
    /// <remarks>
    /// The accuracy chart is the plaintext baseline's per-epoch accuracy with the secure model's final accuracy marked at
    /// the last epoch: the secure model's accuracy is opened once, at the end, on shares — per epoch it would cost an
    /// evaluation on shares and a release each.
    /// </remarks>
    internal static void Write(DirectoryInfo folder, DemoReport report, object? model)
    {
        folder.Create();
        string reportPath = Path.Combine(folder.FullName, "report.json");
        string modelPath = Path.Combine(folder.FullName, "model.json");
        string chartPath = Path.Combine(folder.FullName, "loss.png");
        string accuracyPath = Path.Combine(folder.FullName, "accuracy.png");
        string reportJson = JsonSerializer.Serialize(report, Json);
        string? modelJson = model is null ? null : JsonSerializer.Serialize(model, model.GetType(), Json);
        byte[] chart = LossChart.Render(report.Secure.EpochLoss, report.Plaintext.EpochLoss);
        byte[]? accuracy = AccuracyPng(report);
        AtomicFile.WriteAllText(reportPath, reportJson);
        if (modelJson is not null)
        {
            AtomicFile.WriteAllText(modelPath, modelJson);
        }
        else
        {
            File.Delete(modelPath);
        }
        AtomicFile.WriteAllBytes(chartPath, chart);
        if (accuracy is not null)
        {
            AtomicFile.WriteAllBytes(accuracyPath, accuracy);
        }
        else
        {
            File.Delete(accuracyPath);
        }
        string[] written = new[] { reportPath, model is null ? null : modelPath, chartPath, accuracy is null ? null : accuracyPath }.OfType<string>()
            .Select(Markup.Escape).ToArray();
        AnsiConsole.MarkupLine($"wrote {string.Join(", ", written[..^1])} and {written[^1]}" + (model is null ? " (no model.json: the demo's client is not a recipient)" : ""));
    }

    /// <summary>The accuracy chart of a classifier's report (null for regression): the plaintext baseline per epoch, the secure model's final figures marked.</summary>
    private static byte[]? AccuracyPng(DemoReport report)
    {
        if (report.Plaintext.EpochAccuracy is not { Length: > 0 } train || report.Secure.Accuracy is not { } secureTrain)
        {
            return null;
        }
        var secure = new FinalAccuracy("secure (final)", secureTrain, report.Secure.HeldOutAccuracy);
        return AccuracyChart.Render(train, report.Plaintext.EpochHeldOutAccuracy, $"{report.Model}: accuracy per epoch", secure, "plaintext");
    }
}
