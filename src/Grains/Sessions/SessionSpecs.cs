using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Training;
using SecureCompute.Learning.Programs;
using ModelSpec = SecureCompute.Learning.Models.ModelSpec;

namespace SecureCompute.Grains.Sessions;

/// <summary>Converts between the wire's session types and the training program's.</summary>
public static class SessionSpecs
{
    /// <summary>The training hyper-parameters of a session spec; an unknown model is an error.</summary>
    public static TrainingSpec ToTraining(SessionSpec spec) =>
        new(spec.Model.IsLearningProgram() ? throw new ArgumentException($"a {spec.Model.Name()} model is trained by the learning program, not by the regression trainer.") : spec.Model, spec.Epochs, spec.BatchSize, spec.LearningRate, spec.Seed, spec.SigmoidDegree, SessionRecipients.Parties(spec));

    /// <summary>The learning program's parameters of a softmax or MLP session with <paramref name="features"/> feature columns.</summary>
    public static ProgramSpec ToProgram(SessionSpec spec, int features)
    {
        Learning.Models.ModelKind kind = spec.Model == SessionModel.Mlp ? Learning.Models.ModelKind.Mlp : Learning.Models.ModelKind.Softmax;
        IReadOnlyList<int> hidden = kind == Learning.Models.ModelKind.Mlp ? spec.Hidden ?? ModelSpec.DefaultHidden : Array.Empty<int>();
        return new ProgramSpec(new ModelSpec(kind, features, spec.Classes, hidden, spec.Seed), spec.Epochs, spec.BatchSize, spec.LearningRate, spec.Seed,
            spec.HeldOutFraction);
    }

    /// <summary>Every problem with a spec, empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(SessionSpec spec)
    {
        var problems = spec.ValidateIdentity().ToList();
        if (!Enum.IsDefined(spec.Model))
        {
            problems.Add($"model must be {SessionModels.Names}, not {(int)spec.Model}.");
        }
        else if (spec.Model.IsLearningProgram())
        {
            problems.AddRange(ToTraining(spec with { Model = SessionModel.Logistic }).Validate().Where(p => !p.StartsWith("sigmoid", StringComparison.Ordinal)));
            problems.AddRange(ToProgram(spec, 1).Model.Validate().Where(p => !p.Contains("feature", StringComparison.Ordinal)));
            if (!(spec.HeldOutFraction >= 0 && spec.HeldOutFraction < 1))
            {
                problems.Add($"the held-out fraction must be in [0, 1), not {spec.HeldOutFraction}.");
            }
        }
        else
        {
            problems.AddRange(ToTraining(spec).Validate());
            if (spec.Classes != 0 || spec.Hidden is not null)
            {
                problems.Add($"classes and hidden layers belong to softmax and MLP models, not to {spec.Model.Name()}.");
            }
        }
        if (spec.FractionalBits is < 8 or > 24)
        {
            problems.Add($"fractional bits must be between 8 and 24, not {spec.FractionalBits}.");
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

    /// <summary>The wire report of a training result.</summary>
    /// <remarks>The report goes to the coordinator: it never carries the model (<see cref="SessionReport.Weights"/> is empty).</remarks>
    public static SessionReport ToReport(TrainingResult result, IReadOnlyList<string> features) =>
        new(Array.Empty<double>(), result.Standardisation.Mean, result.Standardisation.StandardDeviation, features.ToArray(), result.Steps, result.Rounds,
            result.RoundsPerStep, result.BytesOpened, result.DealerBytes, result.Seconds, result.EpochLoss);
}
