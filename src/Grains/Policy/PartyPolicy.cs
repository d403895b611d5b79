using System.Collections.Immutable;
using SecureCompute.Grains.Training;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Policy;

/// <summary>
/// One party's rules for the sessions that use its data: who may start them, with which peers, which models and
/// columns, the smallest batch and aggregate and the most epochs, who receives each release, and whether an operator
/// approves each session. Loaded by the party's own silo (<see cref="PartyPolicyLoader"/>); the format is in
/// docs/policy.md.
/// </summary>
/// <remarks>
/// Build one from <see cref="RestrictiveDefault"/> or <see cref="Permissive"/> and change fields with <c>with</c>;
/// the lists are immutable so that a loaded policy cannot change under a running session.
/// </remarks>
public sealed record PartyPolicy
{
    /// <summary>The default and the lowest <see cref="MinBatchSize"/>.</summary>
    public const int DefaultMinBatchSize = 1;

    /// <summary>The default <see cref="MaxEpochs"/>.</summary>
    public const int DefaultMaxEpochs = 10000;

    /// <summary>The default and the lowest <see cref="MinRowsPerAggregate"/>.</summary>
    public const long DefaultMinRowsPerAggregate = 1;

    /// <summary>The default <see cref="ApprovalTimeoutSeconds"/>.</summary>
    public const int DefaultApprovalTimeoutSeconds = 600;

    /// <summary>The longest <see cref="ApprovalTimeoutSeconds"/> accepted (a day).</summary>
    public const int MaxApprovalTimeoutSeconds = 86400;

    /// <summary>The column pattern that allows every column.</summary>
    public const string AnyColumn = "*";

    private PartyPolicy(string party) => Party = party;

    /// <summary>The party this policy is for; a silo loads only its own party's policy.</summary>
    public string Party { get; init; }

    /// <summary>The client identities that may start a session on this party's data.</summary>
    public ImmutableArray<PolicyPattern> Starters { get; init; }

    /// <summary>The parties this party may share a session with (party ids or <c>*</c>).</summary>
    public ImmutableArray<PolicyPattern> Peers { get; init; }

    /// <summary>The models a session may train.</summary>
    public ImmutableArray<SessionModel> Models { get; init; }

    /// <summary>
    /// The modes a session may train in. Federated mode releases every round's aggregate update to every party, so a
    /// party opts in to it: the default is MPC only.
    /// </summary>
    public ImmutableArray<SessionMode> Modes { get; init; }

    /// <summary>The label columns a session may use (<see cref="AnyColumn"/>: any).</summary>
    public ImmutableArray<string> Labels { get; init; }

    /// <summary>The feature columns a session may use (<see cref="AnyColumn"/>: any).</summary>
    public ImmutableArray<string> Features { get; init; }

    /// <summary>The smallest batch size a session may use.</summary>
    public int MinBatchSize { get; init; }

    /// <summary>The most epochs a session may train.</summary>
    public int MaxEpochs { get; init; }

    /// <summary>The fewest rows (the session's total over all parties) behind any released aggregate.</summary>
    public long MinRowsPerAggregate { get; init; }

    /// <summary>Who may receive each kind of release.</summary>
    public ReleaseRules Releases { get; init; } = ReleaseRules.PartiesOnly;

    /// <summary>Whether an admitted session also needs an operator's approval.</summary>
    public ApprovalMode Approval { get; init; }

    /// <summary>With manual approval: how long a session waits for a decision before it fails.</summary>
    public int ApprovalTimeoutSeconds { get; init; }

    /// <summary>With manual approval: which of this party's operators may approve or reject.</summary>
    public ImmutableArray<PolicyPattern> Approvers { get; init; }

    /// <summary>Differential privacy: DP required or not, the dataset's total budget, the most per session.</summary>
    public PrivacyRules Privacy { get; init; } = PrivacyRules.None;

    /// <summary><see cref="ApprovalTimeoutSeconds"/> as a time span.</summary>
    public TimeSpan ApprovalTimeout => TimeSpan.FromSeconds(ApprovalTimeoutSeconds);

    /// <summary>
    /// The policy of a silo started without a policy file: only this party's operators start sessions, any peer,
    /// every model and column, MPC mode only, every release to the session's parties only, automatic approval.
    /// </summary>
    public static PartyPolicy RestrictiveDefault(string party) => new(party)
    {
        Starters = [PolicyPattern.AnyOperator(party)],
        Peers = [PolicyPattern.Anyone],
        Models = [.. Enum.GetValues<SessionModel>()],
        Modes = [SessionMode.Mpc],
        Labels = [AnyColumn],
        Features = [AnyColumn],
        MinBatchSize = DefaultMinBatchSize,
        MaxEpochs = DefaultMaxEpochs,
        MinRowsPerAggregate = DefaultMinRowsPerAggregate,
        Releases = ReleaseRules.PartiesOnly,
        Approval = ApprovalMode.Automatic,
        ApprovalTimeoutSeconds = DefaultApprovalTimeoutSeconds,
        Approvers = [PolicyPattern.AnyOperator(party)],
    };

    /// <summary>The embedded demo's policy: the restrictive default, but anyone starts sessions and receives every release.</summary>
    public static PartyPolicy Permissive(string party) =>
        RestrictiveDefault(party) with { Starters = [PolicyPattern.Anyone], Releases = ReleaseRules.Anyone, Modes = [.. SessionModes.All] };

    /// <summary>The policy in the policy file's format, indented, every field written.</summary>
    public string ToJson() => PartyPolicyWriter.Write(this);

    /// <summary>Equal when every field is, lists in the same order.</summary>
    public bool Equals(PartyPolicy? other) =>
        other is not null
        && Party == other.Party
        && Starters.SequenceEqual(other.Starters)
        && Peers.SequenceEqual(other.Peers)
        && Models.SequenceEqual(other.Models)
        && Modes.SequenceEqual(other.Modes)
        && Labels.SequenceEqual(other.Labels)
        && Features.SequenceEqual(other.Features)
        && MinBatchSize == other.MinBatchSize
        && MaxEpochs == other.MaxEpochs
        && MinRowsPerAggregate == other.MinRowsPerAggregate
        && Releases.Equals(other.Releases)
        && Approval == other.Approval
        && ApprovalTimeoutSeconds == other.ApprovalTimeoutSeconds
        && Approvers.SequenceEqual(other.Approvers)
        && Privacy == other.Privacy;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Party, MinBatchSize, MaxEpochs, MinRowsPerAggregate, Approval, ApprovalTimeoutSeconds);
}
