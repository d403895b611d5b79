using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Sessions;
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
        return new ProgramSpec(new ModelSpec(kind, features, multiClass ? spec.Classes : 1, hidden, spec.Seed), spec.Epochs, spec.BatchSize, spec.LearningRate, spec.Seed,
            spec.HeldOutFraction, spec.SigmoidDegree);
    }

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
