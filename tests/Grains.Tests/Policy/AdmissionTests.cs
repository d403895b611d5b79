using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Policy;

namespace SecureCompute.Grains.Tests.Policy;

public sealed class AdmissionTests
{
    private static readonly string[] Parties = ["hospital-1", "hospital-2", "hospital-3"];
    private static readonly OperatorIdentity Alice = new("hospital-1", "alice");

    [Fact]
    public void TheMostRestrictivePolicyWinsAndEveryRefusalIsNamedByParty()
    {
        var spec = new SessionSpec("s-1", Parties, "outcome", Epochs: 50);
        var request = new AdmissionRequest(spec, Alice);
        PartyPolicy[] policies =
        [
            PartyPolicy.Permissive("hospital-1"),
            PartyPolicy.Permissive("hospital-2") with { MaxEpochs = 20 },
            PartyPolicy.RestrictiveDefault("hospital-3") with { MaxEpochs = 40 },
        ];
        CombinedAdmission combined = Admission.Combine(policies.Select(p => (p.Party, PolicyEvaluator.Admit(p, request))));
        Assert.False(combined.Admitted);
        Assert.Equal(["hospital-2", "hospital-3"], combined.RefusingParties);
        Assert.Equal(
            "refused by hospital-2 (rule maxEpochs: 50 epochs exceed this party's maximum of 20); "
            + "by hospital-3 (rule starter: starter 'hospital-1:alice' is not among this party's starters; "
            + "rule maxEpochs: 50 epochs exceed this party's maximum of 40)",
            combined.Message);

        CombinedAdmission relaxed = Admission.Combine(policies.Select(p => (p.Party, PolicyEvaluator.Admit(p, request with { Spec = spec with { Epochs = 20 }, Starter = new("hospital-3", "dan") }))));
        Assert.True(relaxed.Admitted, relaxed.Message);
        Assert.Equal("admitted by every party", relaxed.Message);
    }

    [Fact]
    public void RowsAreCombinedWithTheAdmissionRulesAndApprovalsArePending()
    {
        var spec = new SessionSpec("s-1", Parties, "outcome");
        var request = new AdmissionRequest(spec, Alice);
        PartyPolicy[] policies =
        [
            PartyPolicy.Permissive("hospital-1") with { Approval = ApprovalMode.Manual },
            PartyPolicy.Permissive("hospital-2") with { MinRowsPerAggregate = 1000 },
            PartyPolicy.Permissive("hospital-3") with { Approval = ApprovalMode.Manual },
        ];
        CombinedAdmission admitted = Admission.Combine(policies.Select(p => (p.Party, PolicyEvaluator.Admit(p, request))));
        Assert.True(admitted.Admitted);
        Assert.Equal(["hospital-1", "hospital-3"], admitted.PendingApproval);
        Assert.Equal("admitted by every party; awaiting approval by hospital-1, hospital-3", admitted.Message);

        CombinedAdmission rows = Admission.Combine(policies.Select(p => (p.Party, PolicyEvaluator.CheckRows(p, 999))));
        Assert.False(rows.Admitted);
        Assert.Equal(
            "refused by hospital-2 (rule minRowsPerAggregate: the session's 999 rows are fewer than this party's minimum of 1000 behind an aggregate)",
            rows.Message);
    }

    [Theory]
    [InlineData(new[] { "hospital-1:*" }, "hospital-1:alice", true)]
    [InlineData(new[] { "hospital-1:*" }, "hospital-2:bob", false)]
    [InlineData(new[] { "hospital-1" }, "hospital-1:alice", true)]
    [InlineData(new[] { "hospital-1:bob" }, "hospital-1:alice", false)]
    [InlineData(new[] { "hospital-1:bob", "hospital-1:alice" }, "hospital-1:alice", true)]
    [InlineData(new[] { "*" }, "hospital-2:bob", false)]
    [InlineData(new[] { "hospital-2:*" }, "hospital-2:bob", false)]
    [InlineData(new string[0], "hospital-1:alice", false)]
    public void OnlyThisPartysApproversMayDecide(string[] approvers, string op, bool mayApprove)
    {
        // Policies built in code can hold what the loader refuses ('*', another party's operators): the party check still holds.
        PartyPolicy policy = PartyPolicy.RestrictiveDefault("hospital-1") with { Approvers = [.. approvers.Select(PolicyPattern.Parse)] };
        Assert.Equal(mayApprove, PolicyEvaluator.MayApprove(policy, OperatorIdentity.TryParse(op)!));
    }
}
