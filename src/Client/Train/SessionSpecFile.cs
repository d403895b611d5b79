using System.Text.Json;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Client.Train;

/// <summary>
/// The session spec a <c>train</c> command reads (JSON, camelCase; see <c>docs/session-spec.md</c> and
/// <c>examples/session.json</c>). Only <c>parties</c> and <c>label</c> are required.
/// </summary>
internal sealed record SessionSpecFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Session id (default: a fresh one).</summary>
    public string? Session { get; init; }

    /// <summary>The parties' ids, in session order.</summary>
    public string[] Parties { get; init; } = Array.Empty<string>();

    /// <summary>The label column.</summary>
    public string Label { get; init; } = "";

    /// <summary>"logistic", "linear", "softmax" or "mlp".</summary>
    public string Model { get; init; } = "logistic";

    /// <summary>Epochs.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Rows per step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Step size (default 1.0 for logistic, 0.1 for linear, 0.5 for softmax and MLP).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Seeds the public batch order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Sigmoid degree.</summary>
    public int SigmoidDegree { get; init; } = 15;

    /// <summary>Fixed-point fractional bits.</summary>
    public int FractionalBits { get; init; } = 16;

    /// <summary>Derive every secret seed from this value (tests and demos only); absent: fresh seeds.</summary>
    public long? ReproducibleSeed { get; init; }

    /// <summary>Who receives the model: party ids and/or client identities (party:name); absent: every party.</summary>
    public string[]? Recipients { get; init; }

    /// <summary>The feature columns to use; absent: every column (but the label) that every party's policy allows.</summary>
    public string[]? Features { get; init; }

    /// <summary>Classes K of a softmax or MLP model (labels 0..K−1); required for those models.</summary>
    public int Classes { get; init; }

    /// <summary>An MLP's hidden layer widths (default 128, 128).</summary>
    public int[]? Hidden { get; init; }

    /// <summary>Fraction of each party's rows held out for evaluation (softmax, MLP; default 0.2).</summary>
    public double HeldOutFraction { get; init; } = 0.2;

    /// <summary>Differential privacy (docs/privacy.md); absent: a non-private session.</summary>
    public PrivacySection? Privacy { get; init; }

    /// <summary>The spec file's <c>privacy</c> section.</summary>
    internal sealed record PrivacySection
    {
        /// <summary>ε the session spends (required).</summary>
        public double? Epsilon { get; init; }

        /// <summary>δ (default 1e-5).</summary>
        public double Delta { get; init; } = 1e-5;

        /// <summary>"dpsgd" (default) or "output".</summary>
        public string Mechanism { get; init; } = "dpsgd";

        /// <summary>DP-SGD's clip norm C (default 1).</summary>
        public double ClipNorm { get; init; } = 1.0;

        /// <summary>σ; absent: every party calibrates the smallest σ that meets ε.</summary>
        public double? NoiseMultiplier { get; init; }

        /// <summary>How many parties may pool their noise (default n − 1).</summary>
        public int? ToleratedCoalition { get; init; }

        /// <summary>Public bounds per feature: name → [lower, upper]; every feature of the spec's <c>features</c>.</summary>
        public Dictionary<string, double[]>? Bounds { get; init; }

        /// <summary>Output perturbation's L2 regularisation λ (default 0.05).</summary>
        public double? Regularisation { get; init; }

        /// <summary>DP-SGD: standardise by private statistics taking this share of ε (e.g. 0.3); absent: by the bounds alone.</summary>
        public double? StatisticsShare { get; init; }
    }

    /// <summary>The default learning rate of <paramref name="model"/>.</summary>
    public static double DefaultLearningRate(SessionModel model) => model switch
    {
        SessionModel.Linear => 0.1,
        SessionModel.Softmax or SessionModel.Mlp => 0.5,
        _ => 1.0,
    };

    /// <summary>Reads and converts <paramref name="file"/>; errors name the file and the problem.</summary>
    public static SessionSpec Load(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new SpecFileException(file, "the file does not exist");
        }
        SessionSpecFile? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<SessionSpecFile>(File.ReadAllText(file.FullName), Json);
        }
        catch (JsonException e)
        {
            throw new SpecFileException(file, $"not a valid session spec at line {e.LineNumber + 1}: {e.Message.Split('.')[0]}");
        }
        if (parsed is null)
        {
            throw new SpecFileException(file, "the file holds no session spec");
        }
        SessionModel model = SessionModels.Parse(parsed.Model)
            ?? throw new SpecFileException(file, $"model must be {SessionModels.Names}, not '{parsed.Model}'");
        return new SessionSpec(parsed.Session ?? $"session-{Guid.NewGuid():N}"[..20], parsed.Parties, parsed.Label, model, parsed.Epochs, parsed.BatchSize,
            parsed.LearningRate ?? DefaultLearningRate(model), parsed.Seed, parsed.SigmoidDegree, parsed.FractionalBits, parsed.ReproducibleSeed,
            parsed.Recipients, parsed.Features, parsed.Classes, parsed.Hidden, parsed.HeldOutFraction, PrivacyOf(file, parsed));
    }

    /// <summary>The spec's privacy section, its bounds put in the order of the spec's features.</summary>
    private static SessionPrivacy? PrivacyOf(FileInfo file, SessionSpecFile parsed)
    {
        if (parsed.Privacy is not { } section)
        {
            return null;
        }
        double epsilon = section.Epsilon ?? throw new SpecFileException(file, "privacy.epsilon is required in a privacy section");
        PrivacyMechanism mechanism = section.Mechanism.Trim().ToLowerInvariant() switch
        {
            "dpsgd" => PrivacyMechanism.DpSgd,
            "output" => PrivacyMechanism.Output,
            _ => throw new SpecFileException(file, $"privacy.mechanism must be dpsgd or output, not '{section.Mechanism}'"),
        };
        double[]? lower = null, upper = null;
        if (section.Bounds is { } bounds)
        {
            if (parsed.Features is not { Length: > 0 } features)
            {
                throw new SpecFileException(file, "privacy.bounds needs the spec's features list, which fixes the features' order");
            }
            string[] missing = features.Where(f => !bounds.ContainsKey(f)).ToArray();
            string[] extra = bounds.Keys.Where(k => !features.Contains(k)).ToArray();
            if (missing.Length > 0 || extra.Length > 0)
            {
                throw new SpecFileException(file, $"privacy.bounds must bound exactly the spec's features" +
                    (missing.Length > 0 ? $"; missing: {string.Join(", ", missing)}" : "") + (extra.Length > 0 ? $"; not a feature: {string.Join(", ", extra)}" : ""));
            }
            string? bad = features.FirstOrDefault(f => bounds[f] is not { Length: 2 });
            if (bad is not null)
            {
                throw new SpecFileException(file, $"privacy.bounds.{bad} must be [lower, upper]");
            }
            lower = features.Select(f => bounds[f][0]).ToArray();
            upper = features.Select(f => bounds[f][1]).ToArray();
        }
        return new SessionPrivacy(epsilon, section.Delta, mechanism, section.ClipNorm, section.NoiseMultiplier, section.ToleratedCoalition, lower, upper,
            section.Regularisation, section.StatisticsShare);
    }
}

/// <summary>A session spec file cannot be used; the message names the file.</summary>
internal sealed class SpecFileException(FileInfo file, string problem) : Exception($"{file.FullName}: {problem}");
