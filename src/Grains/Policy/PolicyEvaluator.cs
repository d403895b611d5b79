using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Training;

namespace SecureCompute.Grains.Policy;

/// <summary>
/// Checks a session against one party's policy. Every check reads public metadata only (the spec, the starter's
/// identity, row counts), so a party can refuse before any row is read and before any seed is drawn.
/// </summary>
/// <remarks>
/// <see cref="Admit"/> checks, in order and all of them: starter, peers, model, label, features, minBatchSize,
/// maxEpochs, releases. <see cref="CheckRows"/> checks minRowsPerAggregate once the parties' public row counts are
/// known, still before any seed.
/// </remarks>
public static class PolicyEvaluator
{
    /// <summary>Every rule of <paramref name="policy"/> that <paramref name="request"/> breaks, and whether it needs an operator's approval.</summary>
    public static AdmissionDecision Admit(PartyPolicy policy, AdmissionRequest request)
    {
        SessionSpec spec = request.Spec;
        var refusals = new List<PolicyRefusal>();
        if (!MayStart(policy, request.Starter, spec))
        {
            refusals.Add(new(PolicyRule.Starter, request.Starter is null
                ? "an anonymous client is not among this party's starters"
                : $"starter '{request.Starter}' is not among this party's starters"));
        }
        if (!spec.Parties.Contains(policy.Party))
        {
            refusals.Add(new(PolicyRule.Peers, $"this party '{policy.Party}' is not a party of the session"));
        }
        foreach (string peer in spec.Parties.Where(p => p != policy.Party).Distinct().Where(p => !MayShareWith(policy, p)))
        {
            refusals.Add(new(PolicyRule.Peers, $"peer '{peer}' is not among this party's peers"));
        }
        if (!policy.Models.Contains(spec.Model))
        {
            refusals.Add(new(PolicyRule.Model, $"model '{spec.Model.Name()}' is not among this party's models"));
        }
        if (!policy.Modes.Contains(spec.Mode))
        {
            refusals.Add(new(PolicyRule.Mode, $"mode '{spec.Mode.Name()}' is not among this party's modes"));
        }
        if (!Allows(policy.Labels, spec.Label))
        {
            refusals.Add(new(PolicyRule.Label, $"label '{spec.Label}' is not among this party's labels"));
        }
        foreach (string feature in (spec.Features ?? []).Distinct().Where(f => !IsAllowedFeature(policy, f)))
        {
            refusals.Add(new(PolicyRule.Features, $"feature '{feature}' is not among this party's features"));
        }
        if (spec.BatchSize < policy.MinBatchSize)
        {
            refusals.Add(new(PolicyRule.MinBatchSize, $"batch size {spec.BatchSize} is below this party's minimum of {policy.MinBatchSize}"));
        }
        if (spec.Epochs > policy.MaxEpochs)
        {
            refusals.Add(new(PolicyRule.MaxEpochs, $"{spec.Epochs} epochs exceed this party's maximum of {policy.MaxEpochs}"));
        }
        if (policy.Privacy.RequireDp && spec.Privacy is null)
        {
            refusals.Add(new(PolicyRule.Privacy, "this party requires differential privacy and the session has no privacy section"));
        }
        if (spec.Privacy is { } dp && policy.Privacy.MaxSessionEpsilon is { } most && dp.Epsilon > most)
        {
            refusals.Add(new(PolicyRule.Privacy, $"ε = {dp.Epsilon} exceeds this party's maximum of {most} per session"));
        }
        if (spec.Privacy is { LowerBounds: { } lower, UpperBounds: { } upper } && spec.Features is { } named)
        {
            // The spec names its features, so their order is known before any row is read: declared bounds are checked
            // here; otherwise the party's program checks them before sharing (ProgramRunner).
            refusals.AddRange(policy.Privacy.CheckBounds(named, lower, upper).Select(p => new PolicyRefusal(PolicyRule.Privacy, p.TrimEnd('.'))));
        }
        foreach (PlannedRelease release in request.Releases.Where(r => !MayReceive(policy, r.Kind, r.Recipient, spec, request.Starter)))
        {
            refusals.Add(new(PolicyRule.Release, $"release of {Describe(release.Kind)} to '{release.Recipient}' is not allowed"));
        }
        return new AdmissionDecision(refusals, refusals.Count == 0 && policy.Approval == ApprovalMode.Manual);
    }

    /// <summary>
    /// The minRowsPerAggregate rule, checked once the session's public row counts are known and before any seed is
    /// drawn: every released aggregate is over all the session's rows, <paramref name="totalRows"/>.
    /// </summary>
    public static AdmissionDecision CheckRows(PartyPolicy policy, long totalRows) =>
        totalRows >= policy.MinRowsPerAggregate
            ? AdmissionDecision.Admit
            : new AdmissionDecision(
                [new(PolicyRule.MinRowsPerAggregate,
                    $"the session's {totalRows} rows are fewer than this party's minimum of {policy.MinRowsPerAggregate} behind an aggregate")],
                false);

    /// <summary>Whether <paramref name="starter"/> (null: anonymous) may start <paramref name="spec"/> on this party's data.</summary>
    public static bool MayStart(PartyPolicy policy, OperatorIdentity? starter, SessionSpec spec) =>
        policy.Starters.Any(p => p.Covers(starter?.ToString(), spec.Parties, starter));

    /// <summary>Whether this party may share a session with party <paramref name="peer"/>.</summary>
    public static bool MayShareWith(PartyPolicy policy, string peer) =>
        policy.Peers.Any(p => p.Covers(peer, [], null));

    /// <summary>
    /// Whether <paramref name="recipient"/> (a party id or a client identity) may receive a release of
    /// <paramref name="kind"/> from <paramref name="spec"/>, started by <paramref name="starter"/>.
    /// </summary>
    public static bool MayReceive(PartyPolicy policy, ReleaseKind kind, string recipient, SessionSpec spec, OperatorIdentity? starter) =>
        policy.Releases.For(kind).Any(p => p.Covers(recipient, spec.Parties, starter));

    /// <summary>Whether <paramref name="op"/> may approve or reject sessions for this party: one of its own operators, among its approvers.</summary>
    public static bool MayApprove(PartyPolicy policy, OperatorIdentity op) =>
        op.Party == policy.Party && policy.Approvers.Any(p => p.Covers(op.ToString(), [policy.Party], null));

    /// <summary>Whether a session may use <paramref name="column"/> as a feature.</summary>
    public static bool IsAllowedFeature(PartyPolicy policy, string column) => Allows(policy.Features, column);

    /// <summary>
    /// The feature columns a session that names none uses on this party: the file's columns but the label that the
    /// policy allows, in file order.
    /// </summary>
    public static IReadOnlyList<string> AllowedColumns(PartyPolicy policy, IEnumerable<string> fileColumns, string label) =>
        fileColumns.Where(c => c != label && IsAllowedFeature(policy, c)).ToList();

    private static bool Allows(IEnumerable<string> columns, string column) =>
        columns.Any(c => c == PartyPolicy.AnyColumn || c == column);

    private static string Describe(ReleaseKind kind) => kind switch
    {
        ReleaseKind.Statistics => "the statistics",
        ReleaseKind.Loss => "the loss",
        ReleaseKind.Model => "the model",
        ReleaseKind.Update => "the aggregate update",
        _ => $"{kind}",
    };
}
