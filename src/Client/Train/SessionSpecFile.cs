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
            parsed.Recipients, parsed.Features, parsed.Classes, parsed.Hidden, parsed.HeldOutFraction);
    }
}

/// <summary>A session spec file cannot be used; the message names the file.</summary>
internal sealed class SpecFileException(FileInfo file, string problem) : Exception($"{file.FullName}: {problem}");
