using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Learning.Privacy;
using SecureCompute.Learning.Privacy.Accounting;
using SecureCompute.Learning.Programs;
using ModelSpec = SecureCompute.Learning.Models.ModelSpec;

namespace SecureCompute.Grains.Sessions;

/// <summary>Converts between the wire's session types and the training program's.</summary>
public static class SessionSpecs
{
    /// <summary>The learning program's parameters of a session whose rows have <paramref name="features"/> feature columns.</summary>
    public static ProgramSpec ToProgram(SessionSpec spec, int features)
    {
        Learning.Models.ModelKind kind = spec.Model switch
        {
            SessionModel.Linear => Learning.Models.ModelKind.Linear,
            SessionModel.Logistic => Learning.Models.ModelKind.Logistic,
            SessionModel.Softmax => Learning.Models.ModelKind.Softmax,
            SessionModel.Mlp => Learning.Models.ModelKind.Mlp,
            _ => throw new ArgumentException($"model must be {SessionModels.Names}, not {(int)spec.Model}."),
        };
        bool multiClass = kind is Learning.Models.ModelKind.Softmax or Learning.Models.ModelKind.Mlp;
        IReadOnlyList<int> hidden = kind == Learning.Models.ModelKind.Mlp ? spec.Hidden ?? ModelSpec.DefaultHidden : Array.Empty<int>();
        var model = new ModelSpec(kind, features, multiClass ? spec.Classes : 1, hidden, spec.Seed);
        return new ProgramSpec(model, spec.Epochs, spec.BatchSize, spec.LearningRate, spec.Seed, spec.HeldOutFraction, spec.SigmoidDegree,
            spec.Privacy is { Mechanism: PrivacyMechanism.DpSgd } privacy ? DpSgd(spec, privacy, model) : null,
            spec.Privacy is { Mechanism: PrivacyMechanism.Output } perturbed ? Output(perturbed) : null,
            spec.Mode == SessionMode.Federated ? Federated(spec.Federated ?? new SessionFederated()) : null);
    }

    /// <summary>Federated averaging's parameters of a session's <c>federated</c> section.</summary>
    public static Learning.Federated.FederatedSpec Federated(SessionFederated federated) =>
        new(federated.LocalEpochs, federated.ClipNorm, federated.Proximal);

    /// <summary>
    /// The output perturbation program of a session's privacy section: its σ, or the σ every party calibrates alike
    /// for one Gaussian release at the section's (ε, δ) (<see cref="OutputPerturbationAccounting.Calibrate"/>, PRV).
    /// </summary>
    public static OutputPerturbationSpec Output(SessionPrivacy privacy)
    {
        double sigma = privacy.NoiseMultiplier ?? (privacy.Epsilon is > 0 and <= SessionPrivacy.MaxEpsilon && privacy.Delta is > 0 and < 1
            ? OutputPerturbationAccounting.Calibrate(privacy.Epsilon, privacy.Delta).Sigma
            : 1.0); // an invalid section: its own validation names the problem
        return new OutputPerturbationSpec(sigma, privacy.Regularisation ?? OutputPerturbationSpec.DefaultRegularisation, OutputPerturbationSpec.DefaultRowNorm,
            privacy.LowerBounds ?? Array.Empty<double>(), privacy.UpperBounds ?? Array.Empty<double>(), privacy.ToleratedCoalition);
    }

    /// <summary>Output perturbation's learning-rate cap for a session's section (2/(a + b), docs/privacy.md).</summary>
    public static double OutputLearningRateCap(SessionPrivacy privacy, int sigmoidDegree) =>
        Output(privacy with { NoiseMultiplier = 1 }).MaxLearningRate(SigmoidShape.Of(new ProgramSpec(new ModelSpec(Learning.Models.ModelKind.Logistic, 1, 1, Array.Empty<int>()),
            SigmoidDegree: sigmoidDegree).Sigmoid));

    /// <summary>
    /// The DP-SGD program of a session's privacy section: its σ, or the σ every party calibrates alike from the
    /// section's (ε, δ) for the session's epochs (<see cref="DpSgdAccounting.Calibrate"/>); the public bounds as given.
    /// </summary>
    public static DpSgdSpec DpSgd(SessionSpec spec, SessionPrivacy privacy, ModelSpec model)
    {
        bool calibrable = spec.Epochs is >= 1 and <= ProgramSpec.MaxEpochs && privacy.Epsilon is > 0 and <= SessionPrivacy.MaxEpsilon
            && privacy.Delta is > 0 and < 1 && privacy.ClipNorm > 0;
        if (privacy.StatisticsShare is { } share && privacy.NoiseMultiplier is null)
        {
            // Private statistics: σ and σ_s from the section's (ε, δ), split by the share; an invalid section gets
            // placeholders its own validation names.
            (double withStatistics, double statisticsSigma) = (1.0, 1.0);
            if (calibrable && share is > 0 and < 1)
            {
                var calibrated = DpSgdAccounting.CalibrateWithStatistics(privacy.Epsilon, privacy.Delta, privacy.ClipNorm, model, spec.Epochs, spec.FractionalBits, share);
                (withStatistics, statisticsSigma) = (calibrated.Sigma, calibrated.StatisticsSigma);
            }
            return new DpSgdSpec(withStatistics, privacy.ClipNorm, privacy.LowerBounds ?? Array.Empty<double>(), privacy.UpperBounds ?? Array.Empty<double>(),
                privacy.ToleratedCoalition, statisticsSigma);
        }
        double sigma = privacy.NoiseMultiplier ?? (calibrable
                ? DpSgdAccounting.Calibrate(privacy.Epsilon, privacy.Delta, privacy.ClipNorm, model, spec.Epochs, spec.FractionalBits).Sigma
                : 1.0); // an invalid section: its own validation names the problem
        return new DpSgdSpec(sigma, privacy.ClipNorm, privacy.LowerBounds ?? Array.Empty<double>(), privacy.UpperBounds ?? Array.Empty<double>(),
            privacy.ToleratedCoalition);
    }

    /// <summary>
    /// What a DP session's program spends, by the session's accountant (RDP for DP-SGD, PRV for output perturbation's
    /// one Gaussian release): null for a non-private session. A party
    /// refuses a session whose ε here exceeds the section's (a σ given too small), before any row is shared.
    /// </summary>
    public static PrivacyGuarantee? Guarantee(SessionSpec spec, ProgramSpec program) =>
        spec.Privacy is { } privacy && program.Privacy is { } dp
            ? DpSgdAccounting.Guarantee(dp, program.Model, program.Epochs, spec.FractionalBits, privacy.Delta)
            : spec.Privacy is { } section && program.Output is { } output
                ? OutputPerturbationAccounting.Guarantee(output.NoiseMultiplier, section.Delta)
                : null;

    /// <summary>Every problem with a spec, empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(SessionSpec spec)
    {
        var problems = spec.ValidateIdentity().ToList();
        if (!Enum.IsDefined(spec.Model))
        {
            problems.Add($"model must be {SessionModels.Names}, not {(int)spec.Model}.");
        }
        else
        {
            problems.AddRange(ToProgram(spec, 1).Validate().Where(p => !p.Contains("feature", StringComparison.Ordinal)));
            if (!spec.Model.IsMultiClass() && (spec.Classes != 0 || spec.Hidden is not null))
            {
                problems.Add($"classes and hidden layers belong to softmax and MLP models, not to {spec.Model.Name()}.");
            }
        }
        if (!Enum.IsDefined(spec.Mode))
        {
            problems.Add($"mode must be {SessionModes.Names}, not {(int)spec.Mode}.");
        }
        if (spec.Federated is not null && spec.Mode != SessionMode.Federated)
        {
            problems.Add("a federated section belongs to a session in federated mode.");
        }
        if (spec.Mode == SessionMode.Federated && spec.Recipients is { } named && spec.Parties.Except(named).ToArray() is { Length: > 0 } left)
        {
            problems.Add($"a federated session releases every round's aggregate update, and so the model, to every party: its recipients must include {string.Join(", ", left)}.");
        }
        if (spec.FractionalBits is < 8 or > 24)
        {
            problems.Add($"fractional bits must be between 8 and 24, not {spec.FractionalBits}.");
        }
        if (spec.Privacy is { } privacy)
        {
            problems.AddRange(privacy.Validate(spec.Parties.Length));
        }
        problems.AddRange(SessionRecipients.Problems(spec));
        if (string.IsNullOrWhiteSpace(spec.Label))
        {
            problems.Add("the label column must be named.");
        }
        return problems;
    }

    /// <summary>The engine's view of a wire schema.</summary>
    public static PartySchema ToSchema(PartySchemaInfo info) => new(info.Party, info.Source, info.Rows, info.FeatureNames, info.LabelName);
}
