using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>The model a session trains: the program every party runs (the spec's <c>model</c>, written in lower case).</summary>
/// <remarks>An enum on the wire and in code; names are parsed once, where text comes in (spec files, policy files, options).</remarks>
[JsonConverter(typeof(SessionModelJsonConverter))]
public enum SessionModel
{
    /// <summary>Logistic regression (sigmoid of a linear score), labels 0/1.</summary>
    Logistic,

    /// <summary>Linear regression, mean squared error.</summary>
    Linear,

    /// <summary>Softmax regression over K classes (the learning layer's program).</summary>
    Softmax,

    /// <summary>A ReLU multi-layer perceptron with a softmax output (the learning layer's program).</summary>
    Mlp,
}

/// <summary>A session model's name as specs, policies and reports write it.</summary>
public static class SessionModels
{
    /// <summary>Every model, in declaration order.</summary>
    public static IReadOnlyList<SessionModel> All { get; } = Enum.GetValues<SessionModel>();

    /// <summary>The lower-case name (<c>logistic</c>, <c>linear</c>, <c>softmax</c>, <c>mlp</c>).</summary>
    public static string Name(this SessionModel model) => model.ToString().ToLowerInvariant();

    /// <summary>Every name, quoted and comma-separated, for error messages.</summary>
    public static string Names => string.Join(", ", All.Select(m => $"'{m.Name()}'"));

    /// <summary>The model named <paramref name="name"/> (any case, surrounding space ignored); null for another word or a number.</summary>
    public static SessionModel? Parse(string? name)
    {
        string text = name?.Trim() ?? "";
        return All.Where(m => m.Name().Equals(text, StringComparison.OrdinalIgnoreCase)).Select(m => (SessionModel?)m).FirstOrDefault();
    }

    /// <summary>Whether the model classifies into K classes named in the spec (softmax, MLP), labels 0..K−1.</summary>
    public static bool IsMultiClass(this SessionModel model) => model is SessionModel.Softmax or SessionModel.Mlp;
}

/// <summary>A session model in JSON: its lower-case name; another word or a number is an error naming the models there are.</summary>
public sealed class SessionModelJsonConverter : JsonConverter<SessionModel>
{
    /// <inheritdoc />
    public override SessionModel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return SessionModels.Parse(text) ?? throw new JsonException($"model must be {SessionModels.Names}, not {(text is null ? reader.TokenType.ToString().ToLowerInvariant() : $"'{text}'")}.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, SessionModel value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name());
}
