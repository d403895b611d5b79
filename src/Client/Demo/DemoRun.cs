using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;
using SecureCompute.Client.Privacy;
using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Federated;
using SecureCompute.Learning.Privacy.Accounting;
using SecureCompute.Learning.Programs;
using SecureCompute.Learning.Training;
using SecureCompute.Mpc.Engine;
using Spectre.Console;

namespace SecureCompute.Client.Demo;

/// <summary>
/// The demo, for every model: the learning layer's program on secret shares among the parties — on an embedded cluster
/// (a silo per party and a dealer silo in this process) or the simulator — beside the same program in float64 with the
/// exact functions (the baseline) and with the same approximations (fidelity), each party holding out its seeded 20% of
/// rows; then report.json, model.json, loss.png and (classifiers) accuracy.png.
/// </summary>
/// <remarks>
/// Steps:
/// 1. Read every party's file, check its labels for the model (0/1, or classes 0..K−1 with K from the labels).
/// 2. Complete the session: id, parties, label, classes, recipients; its program is the one every party's grain runs
///    (<see cref="SessionSpecs.ToProgram"/>), so the simulator and the cluster train the same model.
/// 3. Train on shares: one session on the embedded cluster, or <see cref="SecretProgram"/> on the simulator.
/// 4. Train the plaintext baseline (exact functions, accuracy after every epoch) and twin (the approximations).
/// 5. Report, print, write the files (and, on the cluster, the governance folders).
/// </remarks>
internal static class DemoRun
{
    /// <summary>The simulator engine's description.</summary>
    public const string SimulatorEngine = "in-process simulator (every party in one engine, no Orleans)";

    /// <summary>Runs the demo; returns the exit code.</summary>
    public static async Task<int> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        IReadOnlyList<PartyDataset> parties = DemoData.Load(options);
        string[] ids = DemoData.PartyIds(options, parties);
        int classes = DemoData.Classes(options.Spec.Model, parties, options.Data.FullName);
        SessionSpec spec = options.Spec with
        {
            Session = $"demo-{Guid.NewGuid():N}"[..17],
            Parties = ids,
            Label = parties[0].LabelName,
            Classes = classes,
            Recipients = options.Recipients ?? ids.Append(DemoCluster.Client.ToString()).ToArray(),
        };
        int features = parties[0].Columns;
        if (options.Privacy is { } dp)
        {
            // The public bounds replace the data's statistics; every party's program reads them from the spec.
            var (lower, upper, _) = FeatureBounds.Find(dp.Bounds, options.Data, parties[0].FeatureNames);
            spec = spec with { Privacy = new SessionPrivacy(dp.Epsilon, dp.Delta, dp.Mechanism, dp.ClipNorm, LowerBounds: lower, UpperBounds: upper,
                StatisticsShare: dp.StatisticsShare) };
            double cap = dp.Mechanism == PrivacyMechanism.Output ? SessionSpecs.OutputLearningRateCap(spec.Privacy, spec.SigmoidDegree) : double.PositiveInfinity;
            if (spec.LearningRate > cap)
            {
                // Output perturbation's sensitivity holds only up to this rate (docs/privacy.md): run at it, and say so.
                Console.WriteLine($"output perturbation: learning rate {spec.LearningRate} lowered to its cap 2/(a + b) = {cap:0.###}");
                spec = spec with { LearningRate = Math.Floor(cap * 1e6) / 1e6 };
            }
        }
        ProgramSpec program = SessionSpecs.ToProgram(spec, features);
        PrivacyGuarantee? spent = SessionSpecs.Guarantee(spec, program);
        if (spent is not null)
        {
            AnsiConsole.MarkupLine(Markup.Escape(program.Privacy is { } dpSgd
                ? $"differential privacy: DP-SGD, ε ≤ {spec.Privacy!.Epsilon} at δ = {spec.Privacy.Delta:G2} (RDP: ε = {spent.Epsilon:0.000}), σ = {dpSgd.NoiseMultiplier:0.000}, C = {dpSgd.ClipNorm}{(dpSgd.StatisticsNoiseMultiplier is { } ss ? $", private statistics σ_s = {ss:0.000}" : "")}"
                : $"differential privacy: output perturbation, ε ≤ {spec.Privacy!.Epsilon} at δ = {spec.Privacy.Delta:G2} (PRV: ε = {spent.Epsilon:0.000}), σ = {program.Output!.NoiseMultiplier:0.000}, λ = {program.Output.Regularisation}"));
        }
        string shape = spec.Model == SessionModel.Mlp ? $" {features}-{string.Join("-", program.Model.Hidden)}-{classes}" : "";
        AnsiConsole.MarkupLine($"[bold]SecureCompute demo[/]: {parties.Count} parties, {parties.Sum(p => p.Rows)} rows, {features} features, " +
                               $"label [italic]{Markup.Escape(parties[0].LabelName)}[/]{(classes > 0 ? $" ({classes} classes)" : "")}, " +
                               $"{spec.Model.Name()}{(spec.Model.IsMultiClass() ? shape : " regression")}");
        PartyRows[] rows = DemoData.Rows(parties, ids);

        using IDisposable? telemetry = Telemetry.Start(options.Trace);
        string engine;
        string session;
        ProgramResult secure;
        DemoClusterRun? clusterRun = null;
        if (options.Engine == DemoEngine.Cluster)
        {
            engine = $"embedded Orleans cluster: {parties.Count} party silos + 1 dealer silo on loopback, one process";
            AnsiConsole.MarkupLine($"engine: {Markup.Escape(engine)}");
            session = spec.Session;
            clusterRun = await DemoCluster.TrainAsync(ids, parties, spec, cancellationToken);
            secure = Received(clusterRun, rows, program, options.Data.FullName);
        }
        else
        {
            engine = SimulatorEngine;
            AnsiConsole.MarkupLine($"engine: {Markup.Escape(engine)}");
            using var mpc = new MpcEngine(parties.Count, reproducibleSeed: spec.Seed);
            session = mpc.Session;
            secure = Simulate(mpc, rows, features, program);
        }

        if (program.Federated is { } federated)
        {
            // Beside federated averaging: MPC mode's training in float64 on the pooled rows at equal epochs (R rounds of
            // E local epochs each), and the same federated program with the sum in the clear (the twin).
            int equal = program.Epochs * federated.LocalEpochs;
            ProgramResult pooled = PlaintextProgram.Run(rows, program with { Federated = null, Epochs = equal }, FunctionMode.Exact, evaluateEveryEpoch: true);
            ProgramResult plainSum = FederatedProgram.Run(new PlainUpdateSum(rows.Length, new Mpc.Encoding.FixedPointFormat(spec.FractionalBits)),
                rows.Select(p => p.Rows).ToArray(), features, i => rows[i], program, Enumerable.Range(0, rows.Length).ToArray());
            DemoReport federatedReport = DemoReports.Federated(spec, program, secure, pooled, plainSum, clusterRun?.Recipients, options.Split) with
            {
                Engine = engine,
                Session = session,
                Budgets = clusterRun?.Budgets,
            };
            DemoOutput.Print(federatedReport);
            bool received = clusterRun is null || clusterRun.Report.Weights.Length > 0;
            DemoOutput.Write(options.Out, federatedReport, received ? DemoModel.Of(parties[0], spec, secure, secure.Weights) : null);
            if (clusterRun is not null)
            {
                DemoGovernance.Write(options.Out, clusterRun, id => DemoModel.Of(parties[0], spec, secure, clusterRun.PartyModels[id]));
            }
            return 0;
        }

        ProgramResult exact = PlaintextProgram.Run(rows, program, FunctionMode.Exact, evaluateEveryEpoch: true);
        DemoReport report;
        if (spent is not null)
        {
            // A DP session releases the model only; the demo's client, which holds every row here, scores it on the
            // held-out rows. The baseline is the same DP program in float64 (its own noise), beside the non-private one.
            secure = secure with { HeldOut = PlaintextProgram.EvaluateReleased(rows, program, secure.Weights, new Standardiser(secure.Means, secure.StandardDeviations)) };
            ProgramResult nonPrivate = PlaintextProgram.Run(rows, program with { Privacy = null, Output = null }, FunctionMode.Exact);
            report = DemoReports.Of(spec, secure, exact, null, clusterRun?.Recipients, (program, spent, nonPrivate)) with { Engine = engine, Session = session };
        }
        else
        {
            ProgramResult twin = PlaintextProgram.Run(rows, program, FunctionMode.Approximate);
            report = DemoReports.Of(spec, secure, exact, twin, clusterRun?.Recipients) with { Engine = engine, Session = session };
        }
        report = report with { Budgets = clusterRun?.Budgets };
        DemoOutput.Print(report);
        bool clientGotModel = clusterRun is null || clusterRun.Report.Weights.Length > 0;
        DemoOutput.Write(options.Out, report, clientGotModel ? DemoModel.Of(parties[0], spec, secure, secure.Weights) : null);
        if (clusterRun is not null)
        {
            DemoGovernance.Write(options.Out, clusterRun, id => DemoModel.Of(parties[0], spec, secure, clusterRun.PartyModels[id]));
        }
        return 0;
    }

    /// <summary>Step 3 on the simulator: every party in one engine, a progress bar over the epochs (rounds), the model to every party.</summary>
    private static ProgramResult Simulate(MpcEngine mpc, PartyRows[] rows, int features, ProgramSpec program)
    {
        ProgramResult? result = null;
        string unit = program.Federated is null ? "epoch" : "round";
        AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(program.Federated is null ? "secure training" : "federated training", maxValue: program.Epochs);
                void Done(int epoch, double loss)
                {
                    task.Description = double.IsNaN(loss) ? $"{unit} {epoch}/{program.Epochs}" : $"{unit} {epoch}/{program.Epochs}, loss {loss:F4}";
                    task.Increment(1);
                }
                int[] counts = rows.Select(p => p.Rows).ToArray();
                int[] everyone = Enumerable.Range(0, rows.Length).ToArray();
                if (program.Federated is not null)
                {
                    using var sum = new EngineUpdateSum(mpc);
                    result = FederatedProgram.Run(sum, counts, features, i => rows[i], program, everyone, Done);
                }
                else
                {
                    result = SecretProgram.Run(mpc, counts, features, i => rows[i], program, everyone, Done);
                }
            });
        return result!;
    }

    /// <summary>
    /// Step 3 on the cluster, as the program's result: the model as the demo's client received it, else as the first
    /// recipient party did; the figures from the session's report.
    /// </summary>
    private static ProgramResult Received(DemoClusterRun run, PartyRows[] rows, ProgramSpec program, string folder)
    {
        SessionReport r = run.Report;
        double[] weights = r.Weights.Length > 0 ? r.Weights
            : run.PartyModels.Values.FirstOrDefault() ?? throw new DatasetException(folder,
                "--recipients names neither a party nor the demo's own client, so the demo cannot see the model it reports on");
        int trainRows = rows.Sum(p => p.Rows) - r.HeldOutRows;
        (string, long[])[] shapes = r.ParameterNames is { } names && r.ParameterShapes is { } dims ? names.Zip(dims).ToArray() : Array.Empty<(string, long[])>();
        return new ProgramResult(weights, Array.Empty<long[]>(), shapes, r.Means, r.StandardDeviations, new Evaluation(trainRows, r.TrainAccuracy, r.TrainMse),
            r.HeldOutRows > 0 ? new Evaluation(r.HeldOutRows, r.HeldOutAccuracy, r.HeldOutMse) : null, r.EpochLoss, r.Steps, r.Rounds, r.RoundsPerStep,
            r.BytesOpened, r.DealerBytes, r.Seconds);
    }
}
