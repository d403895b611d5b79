using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Learning.Privacy;
using SecureCompute.Learning.Privacy.Accounting;
using SecureCompute.Learning.Programs;

namespace SecureCompute.Client.Demo;

/// <summary>report.json from the secure run and its two plaintext twins: the figures of each, fidelity and cost.</summary>
internal static class DemoReports
{
    /// <summary>Δ of <paramref name="output"/> for the session's public row counts and schedule.</summary>
    private static double OutputSensitivity(SessionSpec spec, ProgramSpec program, OutputPerturbationSpec output, int trainRows) =>
        output.Sensitivity(trainRows, program.BatchSize, program.Epochs, program.LearningRate,
            Learning.Models.ModelBuilder.ParameterCount(program.Model), spec.FractionalBits, SigmoidShape.Of(program.Sigmoid));

    /// <summary>The report of <paramref name="spec"/>'s runs (its engine and session are the caller's to set).</summary>
    /// <param name="spec">The session.</param>
    /// <param name="secure">The secure run, as the demo received it.</param>
    /// <param name="exact">The plaintext baseline (exact functions, figures after every epoch).</param>
    /// <param name="twin">The same program in float64 with the secure run's approximations.</param>
    /// <param name="recipients">Who received the model (cluster; null: every party, the simulator).</param>
    /// <param name="privacy">A DP session's program and guarantee, and its non-private float64 reference; null otherwise.</param>
    public static DemoReport Of(SessionSpec spec, ProgramResult secure, ProgramResult exact, ProgramResult? twin, string[]? recipients,
        (ProgramSpec Program, PrivacyGuarantee Spent, ProgramResult NonPrivate)? privacy = null)
    {
        bool classifier = spec.Model != SessionModel.Linear;
        string model = recipients is null ? "the final parameters (to all parties)" : $"the final parameters (to {string.Join(", ", recipients)} only)";
        if (privacy is { } dp && spec.Privacy is { } section && (dp.Program.Privacy is not null || dp.Program.Output is not null))
        {
            DpSgdSpec? dpSgd = dp.Program.Privacy;
            OutputPerturbationSpec? output = dp.Program.Output;
            return new DemoReport
            {
                Engine = "",
                Session = "",
                Parties = spec.Parties.Length,
                Model = spec.Model.Name(),
                Secure = Figures(secure, curves: false),
                Plaintext = Figures(exact, curves: true),
                NonPrivate = Figures(dp.NonPrivate, curves: false),
                MaxAbsWeightDiff = null,
                Rounds = secure.Rounds,
                RoundsPerStep = secure.RoundsPerStep,
                BytesOpened = secure.BytesOpened,
                DealerBytes = secure.DealerBytes,
                SecondsPerEpoch = secure.Seconds / spec.Epochs,
                Recipients = recipients,
                Released = dpSgd?.StatisticsNoiseMultiplier is null
                    ? new[] { model + ", differentially private", "row counts, schema, hyper-parameters, the public bounds" }
                    : new[] { PrivateStatistics, model + ", differentially private", "row counts, schema, hyper-parameters, the public bounds" },
                Releases = Releases(spec, dp.Program, dp.Spent, model),
                Privacy = new DemoPrivacyReport
                {
                    Epsilon = section.Epsilon,
                    Delta = section.Delta,
                    EpsilonSpent = dp.Spent.Epsilon,
                    Alpha = dp.Spent.Alpha,
                    Mechanism = dpSgd is not null ? "dpsgd" : "output",
                    Accountant = dpSgd is not null ? "rdp" : "prv",
                    Sigma = dpSgd?.NoiseMultiplier ?? output!.NoiseMultiplier,
                    AccountedSigma = dpSgd?.AccountedNoiseMultiplier(Learning.Models.ModelBuilder.ParameterCount(dp.Program.Model), spec.FractionalBits) ?? output!.NoiseMultiplier,
                    ClipNorm = dpSgd?.ClipNorm,
                    Sensitivity = output is null ? null : OutputSensitivity(spec, dp.Program, output, secure.Train.Rows),
                    Regularisation = output?.Regularisation,
                    ToleratedCoalition = dpSgd?.ToleratedCoalition ?? output?.ToleratedCoalition ?? spec.Parties.Length - 1,
                    Statistics = dpSgd?.StatisticsNoiseMultiplier is null ? "bounds" : "private",
                    StatisticsSigma = dpSgd?.StatisticsNoiseMultiplier,
                    Noise = dpSgd is not null
                        ? "each party adds discrete Gaussian noise from a seed of its own to its own share; the honest parties' part alone has deviation σ·C"
                        : "each party adds discrete Gaussian noise from a seed of its own to its own share of every final weight; the honest parties' part alone has deviation σ·Δ",
                    Sampling = dpSgd is not null
                        ? "public disjoint batches: no amplification by sampling claimed; one Gaussian mechanism per row per epoch (sample rate 1, steps = epochs)"
                        : "no sampling claimed: one Gaussian mechanism on the final weights (sample rate 1, one step), its sensitivity bounding every batch schedule",
                    Evaluation = "the secure model's held-out figure is computed by the demo's client on the held-out rows it holds; the session released no evaluation",
                },
            };
        }
        return new DemoReport
        {
            Engine = "",
            Session = "",
            Parties = spec.Parties.Length,
            Model = spec.Model.Name(),
            Secure = Figures(secure, curves: false),
            Plaintext = Figures(exact, curves: true),
            MaxAbsWeightDiff = twin is null ? null : secure.Weights.Zip(twin.Weights, (a, b) => Math.Abs(a - b)).Max(),
            Rounds = secure.Rounds,
            RoundsPerStep = secure.RoundsPerStep,
            BytesOpened = secure.BytesOpened,
            DealerBytes = secure.DealerBytes,
            SecondsPerEpoch = secure.Seconds / spec.Epochs,
            Recipients = recipients,
            Released = new[]
            {
                "per-feature mean and standard deviation over the training rows of all parties",
                classifier ? "per-epoch loss (Brier score)" : "per-epoch loss (mean squared error)",
                classifier
                    ? "accuracy on the training rows and on the held-out rows (counts correct only)"
                    : "mean squared error on the training rows and on the held-out rows (sums of squares only)",
                model,
                "row counts, schema, hyper-parameters",
            },
            Releases = new[]
            {
                new DemoRelease("statistics", null, null, "per-feature mean and standard deviation over the training rows of all parties"),
                new DemoRelease("loss", null, null, classifier ? "per-epoch loss (Brier score)" : "per-epoch loss (mean squared error)"),
                new DemoRelease("evaluation", null, null, classifier ? "accuracy on the training and held-out rows" : "mean squared error on the training and held-out rows"),
                new DemoRelease("model", null, null, model),
            },
        };
    }

    /// <summary>
    /// The report of a federated session: the secure run beside MPC mode's training in float64 on the pooled rows at
    /// equal epochs (<paramref name="pooled"/>) and the same federated program with the sum in the clear (<paramref name="twin"/>).
    /// </summary>
    public static DemoReport Federated(SessionSpec spec, ProgramSpec program, ProgramResult secure, ProgramResult pooled, ProgramResult twin,
        string[]? recipients, DemoSplit split)
    {
        Learning.Federated.FederatedSpec federated = program.Federated!;
        bool classifier = spec.Model != SessionModel.Linear;
        int equal = program.Epochs * federated.LocalEpochs;
        string model = recipients is null ? "the final parameters (to all parties)" : $"the final parameters (held by every party; sent to {string.Join(", ", recipients)})";
        const string update = "every round's aggregate update: the row-weighted sum of the parties' weight deltas (to every party; the coordinator sees it masked)";
        return new DemoReport
        {
            Engine = "",
            Session = "",
            Parties = spec.Parties.Length,
            Model = spec.Model.Name(),
            Mode = SessionMode.Federated.Name(),
            Secure = Figures(secure, curves: false),
            Plaintext = Figures(pooled, curves: true),
            MaxAbsWeightDiff = secure.Weights.Length == twin.Weights.Length ? secure.Weights.Zip(twin.Weights, (a, b) => Math.Abs(a - b)).DefaultIfEmpty().Max() : null,
            Rounds = secure.Rounds,
            RoundsPerStep = secure.RoundsPerStep,
            BytesOpened = secure.BytesOpened,
            DealerBytes = secure.DealerBytes,
            SecondsPerEpoch = secure.Seconds / spec.Epochs,
            Recipients = recipients,
            Released = new[]
            {
                "per-feature mean and standard deviation over the training rows of all parties",
                update,
                classifier ? "per-round loss (the row-weighted mean of each party's last local epoch's Brier score)" : "per-round loss (row-weighted mean squared error)",
                classifier ? "accuracy on the training rows and on the held-out rows (sums of counts correct only)" : "mean squared error on the training and held-out rows (sums only)",
                model,
                "row counts, schema, hyper-parameters",
            },
            Releases = new[]
            {
                new DemoRelease("statistics", null, null, "per-feature mean and standard deviation over the training rows of all parties"),
                new DemoRelease("update", null, null, update),
                new DemoRelease("loss", null, null, "per-round loss"),
                new DemoRelease("evaluation", null, null, classifier ? "accuracy on the training and held-out rows" : "mean squared error on the training and held-out rows"),
                new DemoRelease("model", null, null, model),
            },
            Federated = new DemoFederatedReport
            {
                Rounds = program.Epochs,
                LocalEpochs = federated.LocalEpochs,
                EpochEquivalents = equal,
                ClipNorm = federated.ClipNorm,
                Proximal = federated.Proximal,
                Split = split == DemoSplit.LabelSkew ? "label-skew" : "iid",
                SecondsPerEpochEquivalent = secure.Seconds / equal,
                HeldOutAccuracyGap = secure.HeldOut?.Accuracy - pooled.HeldOut?.Accuracy,
                Reveals = "federated mode releases every round's aggregate update to every party (and so the model's whole trajectory); MPC mode releases only what its program does (statistics, per-epoch loss, evaluation, the final model to its recipients)",
            },
        };
    }

    private const string PrivateStatistics = "per-feature noisy mean and mean absolute deviation within the public bounds (to every party), differentially private";

    /// <summary>
    /// A DP session's releases, each with the ε of its own mechanisms alone (RDP); the session's ε is their
    /// composition, <paramref name="spent"/>, which the model's entry carries when it is the only release.
    /// </summary>
    private static DemoRelease[] Releases(SessionSpec spec, ProgramSpec program, PrivacyGuarantee spent, string model)
    {
        double delta = spec.Privacy!.Delta;
        if (program.Privacy is not { StatisticsNoiseMultiplier: not null } dpSgd)
        {
            return [new DemoRelease("model", spent.Epsilon, delta, model)];
        }
        var rdp = PrivacyAccountants.For(AccountantKind.Rdp);
        double statistics = rdp.Epsilon([new SampledGaussian(dpSgd.AccountedStatisticsNoiseMultiplier(spec.FractionalBits)!.Value, 1.0, 2)], delta).Epsilon;
        double training = rdp.Epsilon(DpSgdAccounting.History(dpSgd.AccountedNoiseMultiplier(Learning.Models.ModelBuilder.ParameterCount(program.Model), spec.FractionalBits),
            program.Epochs), delta).Epsilon;
        return [new DemoRelease("statistics", statistics, delta, PrivateStatistics), new DemoRelease("model", training, delta, model)];
    }

    /// <summary>One run's figures; <paramref name="curves"/>: with a classifier's accuracy after every epoch (the baseline's).</summary>
    private static ModelFigures Figures(ProgramResult run, bool curves) => new()
    {
        Accuracy = run.Train.Accuracy,
        Mse = run.Train.MeanSquaredError,
        HeldOutAccuracy = run.HeldOut?.Accuracy,
        HeldOutMse = run.HeldOut?.MeanSquaredError,
        EpochLoss = run.EpochLoss,
        EpochAccuracy = curves && run.EpochTrainAccuracy.Length > 0 ? run.EpochTrainAccuracy : null,
        EpochHeldOutAccuracy = curves && run.EpochHeldOutAccuracy.Length > 0 ? run.EpochHeldOutAccuracy : null,
    };
}
