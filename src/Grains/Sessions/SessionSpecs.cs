using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Training;

namespace SecureCompute.Grains.Sessions;

/// <summary>Converts between the wire's session types and the training program's.</summary>
public static class SessionSpecs
{
    /// <summary>The training hyper-parameters of a session spec; an unknown model is an error.</summary>
    public static TrainingSpec ToTraining(SessionSpec spec) =>
        new(ParseModel(spec.Model), spec.Epochs, spec.BatchSize, spec.LearningRate, spec.Seed, spec.SigmoidDegree, SessionRecipients.Parties(spec));

    /// <summary>Every problem with a spec, empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(SessionSpec spec)
    {
        var problems = spec.ValidateIdentity().ToList();
        if (!Enum.TryParse<ModelKind>(spec.Model, ignoreCase: true, out _) || int.TryParse(spec.Model, out _))
        {
            problems.Add($"model must be 'logistic' or 'linear', not '{spec.Model}'.");
        }
        else
        {
            problems.AddRange(ToTraining(spec).Validate());
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

    private static ModelKind ParseModel(string model) =>
        Enum.TryParse(model, ignoreCase: true, out ModelKind kind) && !int.TryParse(model, out _)
            ? kind
            : throw new ArgumentException($"model must be 'logistic' or 'linear', not '{model}'.");
}
