using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SecureCompute.Client.Cli;

/// <summary>
/// An option whose value is one or more whole numbers, comma-separated in one word (<c>--parties 2,3,5,8</c>), each
/// within bounds; anything else is a parse error naming the option, the bounds and the word. The value is null when the
/// option is absent (<see cref="ValuesIn"/>); repeated numbers count once, in the order first given.
/// </summary>
internal sealed class IntListOption : Option<int[]?>
{
    /// <summary>An option <paramref name="name"/> taking numbers from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public IntListOption(string name, string description, int min, int max)
        : base(name)
    {
        if (min > max)
        {
            throw new ArgumentException($"The bounds {min}..{max} are empty.", nameof(max));
        }
        Min = min;
        Max = max;
        Description = description;
        HelpName = "N[,N...]";
        CustomParser = Parse;
    }

    /// <summary>The smallest number accepted.</summary>
    public int Min { get; }

    /// <summary>The largest number accepted.</summary>
    public int Max { get; }

    /// <summary>The numbers given in <paramref name="result"/>, or null when the option is absent.</summary>
    /// <remarks>System.CommandLine gives an absent array-valued option as an empty array, which no parse of a word yields.</remarks>
    public int[]? ValuesIn(ParseResult result) => result.GetValue(this) is { Length: > 0 } values ? values : null;

    private int[]? Parse(ArgumentResult result)
    {
        string word = string.Join(" ", result.Tokens.Select(t => t.Value));
        var values = new List<int>();
        foreach (string part in word.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < Min || value > Max)
            {
                result.AddError($"{Name} must be comma-separated whole numbers from {Min} to {Max}, not '{word}'.");
                return null;
            }
            if (!values.Contains(value))
            {
                values.Add(value);
            }
        }
        return values.ToArray();
    }
}
