namespace SecureCompute.Grains.Policy;

/// <summary>Which patterns each list of the policy file accepts: the problem with one in that place, or null.</summary>
internal static class PatternPlaces
{
    public static string? Starter(PolicyPattern pattern) =>
        pattern.Kind == PatternKind.Starter ? $"'{PolicyPattern.StarterText}' names the starter itself; list who may start sessions" : null;

    public static string? Peer(PolicyPattern pattern) =>
        pattern.Kind is PatternKind.Anyone or PatternKind.Party ? null : $"'{pattern}' is not a party id or '{PolicyPattern.AnyoneText}'";

    public static string? Approver(PolicyPattern pattern, string expectedParty) => pattern.Kind switch
    {
        PatternKind.Party or PatternKind.AnyOperatorOf or PatternKind.Operator when pattern.Party == expectedParty => null,
        PatternKind.Party or PatternKind.AnyOperatorOf or PatternKind.Operator =>
            $"'{pattern}' names operators of '{pattern.Party}'; approvers must be this party's ('{expectedParty}:*' or '{expectedParty}:name')",
        _ => $"'{pattern}' is not limited to this party's operators; approvers must be '{expectedParty}:*' or '{expectedParty}:name'",
    };
}
