using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Policy;

/// <summary>
/// One entry of a policy's identity or recipient list: <c>*</c>, <c>$parties</c>, <c>$starter</c>, a party id, a client
/// identity <c>party:name</c>, or <c>party:*</c>.
/// </summary>
/// <remarks>
/// A recipient or caller is either a party (<c>hospital-2</c>: the party's silo, and through it any of its operators)
/// or one operator (<c>hospital-2:alice</c>). A party-wide pattern covers the party and each of its operators, because
/// a release to one operator of a party is narrower than a release to the party; an operator pattern covers only
/// that operator.
/// </remarks>
/// <param name="Kind">What the pattern stands for.</param>
/// <param name="Party">The party named (<see cref="PatternKind.Party"/>, <see cref="PatternKind.AnyOperatorOf"/>,
/// <see cref="PatternKind.Operator"/>); otherwise null.</param>
/// <param name="Name">The operator named (<see cref="PatternKind.Operator"/>); otherwise null.</param>
public sealed record PolicyPattern(PatternKind Kind, string? Party = null, string? Name = null)
{
    /// <summary>The text of <see cref="PatternKind.Anyone"/>.</summary>
    public const string AnyoneText = "*";

    /// <summary>The text of <see cref="PatternKind.SessionParties"/>.</summary>
    public const string SessionPartiesText = "$parties";

    /// <summary>The text of <see cref="PatternKind.Starter"/>.</summary>
    public const string StarterText = "$starter";

    /// <summary>The longest party id accepted.</summary>
    public const int MaxPartyLength = 64;

    /// <summary>Anyone.</summary>
    public static readonly PolicyPattern Anyone = new(PatternKind.Anyone);

    /// <summary>Every party of the session and its operators.</summary>
    public static readonly PolicyPattern SessionParties = new(PatternKind.SessionParties);

    /// <summary>The client that started the session.</summary>
    public static readonly PolicyPattern Starter = new(PatternKind.Starter);

    /// <summary>The pattern for party <paramref name="party"/> and its operators.</summary>
    public static PolicyPattern ForParty(string party) => new(PatternKind.Party, party);

    /// <summary>The pattern <c>party:*</c>.</summary>
    public static PolicyPattern AnyOperator(string party) => new(PatternKind.AnyOperatorOf, party);

    /// <summary>The pattern for one operator.</summary>
    public static PolicyPattern ForOperator(OperatorIdentity identity) => new(PatternKind.Operator, identity.Party, identity.Name);

    /// <summary>Whether <paramref name="text"/> is a party id: 1..64 letters, digits, '-' or '_' (as a session spec requires).</summary>
    public static bool IsPartyId(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= MaxPartyLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Parses a pattern; null with <paramref name="problem"/> set when <paramref name="text"/> is none.</summary>
    public static PolicyPattern? TryParse(string text, out string? problem)
    {
        problem = null;
        switch (text)
        {
            case AnyoneText:
                return Anyone;
            case SessionPartiesText:
                return SessionParties;
            case StarterText:
                return Starter;
        }
        if (text.StartsWith('$'))
        {
            problem = $"unknown placeholder '{text}' (use '{SessionPartiesText}' or '{StarterText}')";
            return null;
        }
        int colon = text.IndexOf(':');
        if (colon < 0)
        {
            if (IsPartyId(text))
            {
                return ForParty(text);
            }
            problem = $"'{text}' is not a party id, a client identity 'party:name', 'party:*', '*', '{SessionPartiesText}' or '{StarterText}'";
            return null;
        }
        string party = text[..colon];
        string name = text[(colon + 1)..];
        if (IsPartyId(party) && name == AnyoneText)
        {
            return AnyOperator(party);
        }
        if (IsPartyId(party) && OperatorIdentity.TryParse(text) is { } identity && identity.ToString() == text)
        {
            return ForOperator(identity);
        }
        problem = $"'{text}' is not a client identity 'party:name' or 'party:*' (letters, digits, '-', '_'; names also '.')";
        return null;
    }

    /// <summary>Parses a pattern; throws <see cref="ArgumentException"/> when <paramref name="text"/> is none.</summary>
    public static PolicyPattern Parse(string text) => TryParse(text, out string? problem) ?? throw new ArgumentException(problem, nameof(text));

    /// <summary>
    /// Whether the pattern covers <paramref name="subject"/> — a party id or a client identity <c>party:name</c>, null
    /// for an anonymous client — in a session of <paramref name="sessionParties"/> started by <paramref name="starter"/>.
    /// </summary>
    public bool Covers(string? subject, IReadOnlyCollection<string> sessionParties, OperatorIdentity? starter)
    {
        if (Kind == PatternKind.Anyone)
        {
            return true;
        }
        if (!TryParseSubject(subject, out string subjectParty, out OperatorIdentity? subjectOperator))
        {
            return false;
        }
        return Kind switch
        {
            PatternKind.SessionParties => sessionParties.Contains(subjectParty),
            PatternKind.Starter => subjectOperator is not null && subjectOperator == starter,
            PatternKind.Party or PatternKind.AnyOperatorOf => subjectParty == Party,
            PatternKind.Operator => subjectOperator is not null && subjectOperator.Party == Party && subjectOperator.Name == Name,
            _ => false,
        };
    }

    /// <summary>The pattern as the policy file writes it.</summary>
    public override string ToString() => Kind switch
    {
        PatternKind.Anyone => AnyoneText,
        PatternKind.SessionParties => SessionPartiesText,
        PatternKind.Starter => StarterText,
        PatternKind.Party => Party!,
        PatternKind.AnyOperatorOf => $"{Party}:{AnyoneText}",
        _ => $"{Party}:{Name}",
    };

    private static bool TryParseSubject(string? subject, out string party, out OperatorIdentity? identity)
    {
        identity = null;
        party = string.Empty;
        if (subject is null)
        {
            return false;
        }
        if (!subject.Contains(':'))
        {
            party = subject;
            return IsPartyId(subject);
        }
        identity = OperatorIdentity.TryParse(subject);
        if (identity is null || !IsPartyId(identity.Party))
        {
            identity = null;
            return false;
        }
        party = identity.Party;
        return true;
    }
}
