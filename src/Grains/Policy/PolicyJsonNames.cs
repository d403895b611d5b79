using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Training;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Policy;

/// <summary>The property and value names of the policy file, shared by its reader and writer.</summary>
internal static class PolicyJsonNames
{
    public const string Party = "party";
    public const string Starters = "starters";
    public const string Peers = "peers";
    public const string Models = "models";
    public const string Modes = "modes";
    public const string Labels = "labels";
    public const string Features = "features";
    public const string MinBatchSize = "minBatchSize";
    public const string MaxEpochs = "maxEpochs";
    public const string MinRowsPerAggregate = "minRowsPerAggregate";
    public const string Releases = "releases";
    public const string Approval = "approval";
    public const string ApprovalTimeoutSeconds = "approvalTimeoutSeconds";
    public const string Approvers = "approvers";
    public const string Privacy = "privacy";
    public const string RequireDp = "requireDp";
    public const string BudgetEpsilon = "budgetEpsilon";
    public const string BudgetDelta = "budgetDelta";
    public const string MaxSessionEpsilon = "maxSessionEpsilon";
    public const string Bounds = "bounds";

    /// <summary>The properties of the <c>privacy</c> object.</summary>
    public static readonly string[] PrivacyFields = [RequireDp, BudgetEpsilon, BudgetDelta, MaxSessionEpsilon, Bounds];

    /// <summary>Every top-level property, in the order the file lists them.</summary>
    public static readonly string[] All =
    [
        Party, Starters, Peers, Models, Modes, Labels, Features, MinBatchSize, MaxEpochs, MinRowsPerAggregate, Releases, Approval,
        ApprovalTimeoutSeconds, Approvers, Privacy,
    ];

    /// <summary>The name of an enum value in the file: lower camel case (<c>logistic</c>, <c>statistics</c>, <c>manual</c>).</summary>
    public static string Of<T>(T value)
        where T : struct, Enum
    {
        string name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>The enum value named <paramref name="text"/> in the file (case-insensitive, names only, no numbers).</summary>
    public static T? Parse<T>(string text)
        where T : struct, Enum =>
        Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => string.Equals(Of(v!.Value), text, StringComparison.OrdinalIgnoreCase));

    /// <summary>The file's names of the models (<c>logistic</c>, <c>linear</c>).</summary>
    public static string ModelNames => string.Join(", ", Enum.GetValues<SessionModel>().Select(m => $"'{Of(m)}'"));

    /// <summary>The file's names of the session modes (<c>mpc</c>, <c>federated</c>).</summary>
    public static string ModeNames => string.Join(", ", Enum.GetValues<SessionMode>().Select(m => $"'{Of(m)}'"));

    /// <summary>The file's names of the release kinds.</summary>
    public static string ReleaseNames => string.Join(", ", ReleaseRules.Governed.Select(k => $"'{Of(k)}'"));
}
