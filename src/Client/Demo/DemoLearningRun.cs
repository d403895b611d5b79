using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Training;
using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Programs;
using SecureCompute.Mpc.Engine;
using Spectre.Console;
using LearningKind = SecureCompute.Learning.Models.ModelKind;

namespace SecureCompute.Client.Demo;

/// <summary>
/// The demo of a softmax regression or an MLP: the learning layer's program on the embedded cluster (or the simulator),
/// its plaintext twin with the same approximations (fidelity) and the exact plaintext baseline, each party holding out
/// its seeded 20% of rows; report.json, model.json, loss.png and accuracy.png.
/// </summary>
internal static class DemoLearningRun
{
    /// <summary>Whether <paramref name="kind"/> is trained by this path.</summary>
    public static bool Handles(SessionModel kind) => kind is SessionModel.Softmax or SessionModel.Mlp;

    /// <summary>Runs the demo on <paramref name="parties"/>' rows; returns the exit code.</summary>
    public static async Task<int> RunAsync(DemoOptions options, IReadOnlyList<PartyDataset> parties, string[] ids, CancellationToken cancellationToken)
    {
        TrainingSpec spec = options.Spec;
        int classes = Classes(parties, options.Data.FullName);
        LearningKind kind = spec.Model == SessionModel.Mlp ? LearningKind.Mlp : LearningKind.Softmax;
        int[]? hidden = kind == LearningKind.Mlp ? (options.Hidden ?? Learning.Models.ModelSpec.DefaultHidden.ToArray()) : null;
        var program = new ProgramSpec(new Learning.Models.ModelSpec(kind, parties[0].Columns, classes, hidden ?? Array.Empty<int>(), spec.Seed),
            spec.Epochs, spec.BatchSize, spec.LearningRate, spec.Seed);
        string name = spec.Model.Name();
        AnsiConsole.MarkupLine($"[bold]SecureCompute demo[/]: {parties.Count} parties, {parties.Sum(p => p.Rows)} rows, {parties[0].Columns} features, " +
                               $"label [italic]{Markup.Escape(parties[0].LabelName)}[/] ({classes} classes), {name}" +
                               (hidden is null ? "" : $" {parties[0].Columns}-{string.Join("-", hidden)}-{classes}"));
        PartyRows[] rows = parties.Select((p, i) => new PartyRows(ids[i], p.Features, p.Labels, p.Columns)).ToArray();

        using IDisposable? telemetry = Telemetry.Start(options.Trace);
        string engine;
        string session;
        ProgramResult secure;
        DemoClusterRun? clusterRun = null;
        if (options.Engine == DemoEngine.Cluster)
        {
            engine = $"embedded Orleans cluster: {parties.Count} party silos + 1 dealer silo on loopback, one process";
            AnsiConsole.MarkupLine($"engine: {Markup.Escape(engine)}");
            session = $"demo-{Guid.NewGuid():N}"[..17];
            clusterRun = await DemoCluster.TrainAsync(ids, parties, spec, session, options.Recipients, cancellationToken, (classes, hidden, program.HeldOutFraction));
            SessionReport r = clusterRun.Report;
            double[] received = r.Weights.Length > 0 ? r.Weights
                : clusterRun.PartyModels.Values.FirstOrDefault() ?? throw new DatasetException(options.Data.FullName,
                    "--recipients names neither a party nor the demo's own client, so the demo cannot see the model it reports on");
            secure = new ProgramResult(received, Array.Empty<long[]>(), r.ParameterNames!.Zip(r.ParameterShapes!, (n, s) => (n, s)).ToArray(),
                r.Means, r.StandardDeviations, new Learning.Training.Evaluation(0, r.TrainAccuracy, null),
                new Learning.Training.Evaluation(r.HeldOutRows, r.HeldOutAccuracy, r.HeldOutMse), r.EpochLoss, r.Steps, r.Rounds, r.RoundsPerStep,
                r.BytesOpened, r.DealerBytes, r.Seconds);
        }
        else
        {
            engine = DemoRun.SimulatorEngine;
            AnsiConsole.MarkupLine($"engine: {Markup.Escape(engine)}");
            using var mpc = new MpcEngine(parties.Count, reproducibleSeed: spec.Seed);
            session = mpc.Session;
            ProgramResult? result = null;
            AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    ProgressTask task = context.AddTask("secure training", maxValue: spec.Epochs);
                    result = SecretProgram.Run(mpc, rows.Select(p => p.Rows).ToArray(), parties[0].Columns, i => rows[i], program,
                        Enumerable.Range(0, parties.Count).ToArray(), (epoch, loss) =>
                        {
                            task.Description = $"epoch {epoch}/{spec.Epochs}, loss {loss:F4}";
                            task.Increment(1);
                        });
                });
            secure = result!;
        }

        ProgramResult exact = PlaintextProgram.Run(rows, program, FunctionMode.Exact, evaluateEveryEpoch: true);
        ProgramResult twin = PlaintextProgram.Run(rows, program, FunctionMode.Approximate);
        double fidelity = secure.Weights.Zip(twin.Weights, (a, b) => Math.Abs(a - b)).Max();
        var report = new DemoReport
        {
            Engine = engine,
            Session = session,
            Parties = parties.Count,
            Model = name,
            Secure = new ModelFigures { Accuracy = secure.Train.Accuracy, HeldOutAccuracy = secure.HeldOut?.Accuracy, EpochLoss = secure.EpochLoss },
            Plaintext = new ModelFigures
            {
                Accuracy = exact.Train.Accuracy, HeldOutAccuracy = exact.HeldOut?.Accuracy, EpochLoss = exact.EpochLoss, EpochAccuracy = exact.EpochTrainAccuracy,
                EpochHeldOutAccuracy = exact.HeldOut is null ? null : exact.EpochHeldOutAccuracy,
            },
            MaxAbsWeightDiff = fidelity,
            Rounds = secure.Rounds,
            RoundsPerStep = secure.RoundsPerStep,
            BytesOpened = secure.BytesOpened,
            DealerBytes = secure.DealerBytes,
            SecondsPerEpoch = secure.Seconds / spec.Epochs,
            Recipients = clusterRun?.Recipients,
            Released = new[]
            {
                "per-feature mean and standard deviation over the training rows of all parties", "per-epoch loss (Brier score)",
                "accuracy on the training rows and on the held-out rows (counts correct only)",
                clusterRun is null ? "the final parameters (to all parties)" : $"the final parameters (to {string.Join(", ", clusterRun.Recipients)} only)",
                "row counts, schema, hyper-parameters",
            },
        };
        Print(report);
        bool clientGotModel = clusterRun is null || clusterRun.Report.Weights.Length > 0;
        DemoRun.Write(options.Out, report, clientGotModel ? Model(parties[0], name, classes, secure, secure.Weights) : null);
        if (clusterRun is not null)
        {
            DemoGovernance.Write(options.Out, clusterRun, id => Model(parties[0], name, classes, secure, clusterRun.PartyModels[id]));
        }
        return 0;
    }

    /// <summary>K from the labels the demo holds (all of them): every label must be a class 0..K−1.</summary>
    internal static int Classes(IReadOnlyList<PartyDataset> parties, string folder)
    {
        double max = 0;
        foreach (PartyDataset p in parties)
        {
            int bad = Array.FindIndex(p.Labels, l => l < 0 || l != Math.Floor(l) || l > 1000);
            if (bad >= 0)
            {
                throw new DatasetException(p.Source, $"row {bad + 1}: a softmax or MLP label must be a class 0, 1, 2, … (an integer up to 1000)", bad + 2);
            }
            max = Math.Max(max, p.Labels.Max());
        }
        int k = (int)max + 1;
        return k >= 2 ? k : throw new DatasetException(folder, "every label is 0: a classifier needs at least 2 classes");
    }

    private static object Model(PartyDataset schema, string name, int classes, ProgramResult secure, double[] weights)
    {
        var parameters = new List<ModelParameter>();
        int offset = 0;
        foreach ((string n, long[] shape) in secure.Shapes)
        {
            int count = (int)shape.Aggregate(1L, (a, b) => a * b);
            parameters.Add(new ModelParameter(n, shape, weights[offset..(offset + count)]));
            offset += count;
        }
        return new NetworkModelFile(name, schema.FeatureNames, schema.LabelName, classes, secure.Means, secure.StandardDeviations, parameters);
    }

    private static void Print(DemoReport r)
    {
        var table = new Table().AddColumn("").AddColumn(new TableColumn("secure (MPC)").RightAligned()).AddColumn(new TableColumn("plaintext baseline").RightAligned());
        table.AddRow("held-out accuracy", $"{r.Secure.HeldOutAccuracy:P2}", $"{r.Plaintext.HeldOutAccuracy:P2}");
        table.AddRow("training accuracy", $"{r.Secure.Accuracy:P2}", $"{r.Plaintext.Accuracy:P2}");
        table.AddRow("final epoch loss", $"{r.Secure.EpochLoss[^1]:F4}", $"{r.Plaintext.EpochLoss[^1]:F4}");
        table.AddRow("max |Δw| vs same approximation", $"{r.MaxAbsWeightDiff:E2}", "");
        table.AddRow("rounds (per step)", $"{r.Rounds:N0} ({r.RoundsPerStep:F0})", "");
        table.AddRow("bytes opened / dealer bytes", $"{r.BytesOpened:N0} / {r.DealerBytes:N0}", "");
        table.AddRow("seconds per epoch", $"{r.SecondsPerEpoch:F2}", "");
        AnsiConsole.Write(table);
        DemoRun.PrintEpochAccuracy(r.Plaintext);
    }
}
