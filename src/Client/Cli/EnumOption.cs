using System.CommandLine;
using System.CommandLine.Parsing;

namespace SecureCompute.Client.Cli;

/// <summary>
/// An option whose value is one member of <typeparamref name="T"/>, written on the command line as one of a fixed set
/// of lower-case names (case and surrounding spaces ignored). Help shows the names and the default in lower case; any
/// other word is a parse error that names every choice, and the command then exits nonzero before it runs.
/// </summary>
/// <remarks>
/// System.CommandLine's own enum conversion (<see cref="Enum.TryParse(Type, string?, bool, out object?)"/>) would also
/// take a member's number ("1"), a combination ("cluster,simulator") and every member the command does not offer, and
/// help would show the members' PascalCase names. The option's value is null when it is absent, so that help shows no
/// PascalCase default either; <see cref="ValueIn"/> gives <see cref="Default"/> then.
/// </remarks>
/// <typeparam name="T">The enum.</typeparam>
internal sealed class EnumOption<T> : Option<T?>
    where T : struct, Enum
{
    private readonly Dictionary<string, T> byName;

    /// <summary>An option <paramref name="name"/> taking the names of <paramref name="choices"/>, in that order in help and errors.</summary>
    /// <param name="name">The option's name, e.g. <c>--engine</c>.</param>
    /// <param name="description">What the option chooses (help appends the default).</param>
    /// <param name="defaultValue">The value when the option is absent; one of <paramref name="choices"/>.</param>
    /// <param name="choices">Each accepted lower-case name and its member.</param>
    /// <param name="aliases">Further accepted names that help does not list (kept for scripts that use them).</param>
    public EnumOption(string name, string description, T defaultValue, IReadOnlyList<(string Name, T Value)> choices,
        IReadOnlyList<(string Name, T Value)>? aliases = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Count == 0 || choices.Any(c => c.Name.Length == 0 || c.Name != c.Name.ToLowerInvariant()))
        {
            throw new ArgumentException("An enum option needs at least one choice, each a non-empty lower-case name.", nameof(choices));
        }
        Default = defaultValue;
        Choices = choices.Select(c => c.Name).ToArray();
        byName = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach ((string choice, T value) in choices.Concat(aliases ?? Array.Empty<(string, T)>()))
        {
            byName.Add(choice, value);
        }
        string defaultName = choices.FirstOrDefault(c => EqualityComparer<T>.Default.Equals(c.Value, defaultValue)).Name
            ?? throw new ArgumentException($"The default {defaultValue} is not among the choices.", nameof(defaultValue));
        Description = $"{description} [default: {defaultName}]";
        HelpName = string.Join("|", Choices);
        CustomParser = Parse;
        CompletionSources.Add(_ => Choices.Select(c => new System.CommandLine.Completions.CompletionItem(c)));
    }

    /// <summary>The value when the option is absent.</summary>
    public T Default { get; }

    /// <summary>The names help lists, in order.</summary>
    public IReadOnlyList<string> Choices { get; }

    /// <summary>The chosen member in <paramref name="result"/>, or <see cref="Default"/> when the option is absent.</summary>
    public T ValueIn(ParseResult result) => result.GetValue(this) ?? Default;

    /// <summary>"a, b or c": the choices as an error message lists them.</summary>
    public string ChoiceList() => Choices.Count == 1 ? Choices[0] : $"{string.Join(", ", Choices.Take(Choices.Count - 1))} or {Choices[^1]}";

    private T? Parse(ArgumentResult result)
    {
        string word = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(" ", result.Tokens.Select(t => t.Value));
        if (byName.TryGetValue(word.Trim(), out T value))
        {
            return value;
        }
        result.AddError($"{Name} must be {ChoiceList()}, not '{word}'.");
        return null;
    }
}
