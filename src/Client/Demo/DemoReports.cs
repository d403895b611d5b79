using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Learning.Programs;

namespace SecureCompute.Client.Demo;

/// <summary>report.json from the secure run and its two plaintext twins: the figures of each, fidelity and cost.</summary>
internal static class DemoReports
{
    /// <summary>The report of <paramref name="spec"/>'s runs (its engine and session are the caller's to set).</summary>
    /// <param name="spec">The session.</param>
    /// <param name="secure">The secure run, as the demo received it.</param>
    /// <param name="exact">The plaintext baseline (exact functions, figures after every epoch).</param>
    /// <param name="twin">The same program in float64 with the secure run's approximations.</param>
    /// <param name="recipients">Who received the model (cluster; null: every party, the simulator).</param>
    public static DemoReport Of(SessionSpec spec, ProgramResult secure, ProgramResult exact, ProgramResult twin, string[]? recipients)
    {
        bool classifier = spec.Model != SessionModel.Linear;
        return new DemoReport
        {
            Engine = "",
            Session = "",
            Parties = spec.Parties.Length,
            Model = spec.Model.Name(),
            Secure = Figures(secure, curves: false),
            Plaintext = Figures(exact, curves: true),
            MaxAbsWeightDiff = secure.Weights.Zip(twin.Weights, (a, b) => Math.Abs(a - b)).Max(),
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
                recipients is null ? "the final parameters (to all parties)" : $"the final parameters (to {string.Join(", ", recipients)} only)",
                "row counts, schema, hyper-parameters",
            },
        };
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
