using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Policy;
using SecureCompute.Grains.Training;

namespace SecureCompute.Grains.Tests.Policy;

public sealed class PolicyEvaluatorTests
{
    private const string Party = "hospital-1";
    private static readonly OperatorIdentity Alice = new("hospital-1", "alice");
    private static readonly OperatorIdentity Bob = new("hospital-2", "bob");
    private static readonly OperatorIdentity Carol = new("hospital-9", "carol");

    private static readonly PartyPolicy Open = PartyPolicy.Permissive(Party);

    [Theory]
    [InlineData("hospital-1:*", "hospital-1:alice", true)]
    [InlineData("hospital-1:*", "hospital-2:bob", false)]
    [InlineData("hospital-2:bob", "hospital-2:bob", true)]
    [InlineData("hospital-2:bob", "hospital-2:eve", false)]
    [InlineData("hospital-2", "hospital-2:bob", true)]
    [InlineData("$parties", "hospital-2:bob", true)]
    [InlineData("$parties", "hospital-9:carol", false)]
    [InlineData("*", "hospital-9:carol", true)]
    [InlineData("*", null, true)]
    [InlineData("hospital-1:*", null, false)]
    [InlineData("$parties", null, false)]
    public void StarterRule(string pattern, string? starter, bool admitted)
    {
        PartyPolicy policy = Open with { Starters = [PolicyPattern.Parse(pattern)] };
        OperatorIdentity? identity = OperatorIdentity.TryParse(starter);
        AdmissionDecision decision = PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec(), identity));
        AssertRule(decision, PolicyRule.Starter, admitted);
        if (!admitted)
        {
            Assert.Equal(
                identity is null ? "an anonymous client is not among this party's starters" : $"starter '{starter}' is not among this party's starters",
                Assert.Single(decision.Refusals).Reason);
        }
    }

    [Theory]
    [InlineData(new[] { "*" }, new[] { "hospital-1", "hospital-2", "hospital-3" }, true)]
    [InlineData(new[] { "hospital-2", "hospital-3" }, new[] { "hospital-1", "hospital-2", "hospital-3" }, true)]
    [InlineData(new[] { "hospital-2" }, new[] { "hospital-1", "hospital-2", "hospital-3" }, false)]
    [InlineData(new[] { "hospital-2" }, new[] { "hospital-2", "hospital-1" }, true)]
    [InlineData(new string[0], new[] { "hospital-1", "hospital-2" }, false)]
    [InlineData(new[] { "*" }, new[] { "hospital-2", "hospital-3" }, false)]
    public void PeersRule(string[] peers, string[] parties, bool admitted)
    {
        PartyPolicy policy = Open with { Peers = [.. peers.Select(PolicyPattern.Parse)] };
        AssertRule(PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec() with { Parties = parties }, Alice)), PolicyRule.Peers, admitted);
    }

    [Fact]
    public void EachRefusedPeerIsNamed()
    {
        PartyPolicy policy = Open with { Peers = [] };
        AdmissionDecision decision = PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec() with { Parties = ["hospital-1", "hospital-2", "hospital-3"] }, Alice));
        Assert.Equal(
            ["peer 'hospital-2' is not among this party's peers", "peer 'hospital-3' is not among this party's peers"],
            decision.Refusals.Select(r => r.Reason));
    }

    [Theory]
    [InlineData(new[] { SessionModel.Logistic, SessionModel.Linear }, (int)SessionModel.Linear, true)]
    [InlineData(new[] { SessionModel.Logistic }, (int)SessionModel.Logistic, true)]
    [InlineData(new[] { SessionModel.Logistic }, (int)SessionModel.Linear, false)]
    [InlineData(new[] { SessionModel.Softmax, SessionModel.Mlp }, (int)SessionModel.Mlp, true)]
    [InlineData(new[] { SessionModel.Softmax }, (int)SessionModel.Mlp, false)]
    [InlineData(new[] { SessionModel.Logistic, SessionModel.Linear }, 42, false)]
    public void ModelRule(SessionModel[] models, int modelNumber, bool admitted)
    {
        var model = (SessionModel)modelNumber;
        PartyPolicy policy = Open with { Models = [.. models] };
        AdmissionDecision decision = PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec() with { Model = model }, Alice));
        AssertRule(decision, PolicyRule.Model, admitted);
    }

    [Theory]
    [InlineData(new[] { "*" }, "outcome", true)]
    [InlineData(new[] { "outcome", "readmitted" }, "readmitted", true)]
    [InlineData(new[] { "outcome" }, "income", false)]
    [InlineData(new string[0], "outcome", false)]
    public void LabelRule(string[] labels, string label, bool admitted)
    {
        PartyPolicy policy = Open with { Labels = [.. labels] };
        AdmissionDecision decision = PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec() with { Label = label }, Alice));
        AssertRule(decision, PolicyRule.Label, admitted);
        if (!admitted)
        {
            Assert.Equal($"label '{label}' is not among this party's labels", Assert.Single(decision.Refusals).Reason);
        }
    }

    [Theory]
    [InlineData(new[] { "*" }, null, true)]
    [InlineData(new[] { "age" }, null, true)]
    [InlineData(new[] { "*" }, new[] { "age", "income" }, true)]
    [InlineData(new[] { "age", "bmi" }, new[] { "bmi" }, true)]
    [InlineData(new[] { "age", "bmi" }, new[] { "bmi", "income" }, false)]
    [InlineData(new string[0], new[] { "age" }, false)]
    public void FeaturesRule(string[] allowed, string[]? features, bool admitted)
    {
        PartyPolicy policy = Open with { Features = [.. allowed] };
        AssertRule(PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec() with { Features = features }, Alice)), PolicyRule.Features, admitted);
    }

    [Fact]
    public void EveryRefusedFeatureIsNamedAndAllowedColumnsKeepFileOrder()
    {
        PartyPolicy policy = Open with { Features = ["bmi", "age", "outcome"] };
        AdmissionDecision decision = PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec() with { Features = ["zip", "age", "income"] }, Alice));
        Assert.Equal(
            ["feature 'zip' is not among this party's features", "feature 'income' is not among this party's features"],
            decision.Refusals.Select(r => r.Reason));
        Assert.Equal(["age", "bmi"], PolicyEvaluator.AllowedColumns(policy, ["zip", "age", "outcome", "income", "bmi"], "outcome"));
        Assert.Equal(["zip", "age", "bmi"], PolicyEvaluator.AllowedColumns(Open, ["zip", "age", "outcome", "bmi"], "outcome"));
    }

    [Fact]
    public void BatchSizeAndEpochLimitsAroundTheLimit()
    {
        const int seed = 4711;
        var random = new Random(seed);
        for (int i = 0; i < 500; i++)
        {
            int minBatch = random.Next(1, 512);
            int maxEpochs = random.Next(1, 200);
            int batch = Math.Max(1, minBatch + random.Next(-3, 4));
            int epochs = Math.Max(1, maxEpochs + random.Next(-3, 4));
            PartyPolicy policy = Open with { MinBatchSize = minBatch, MaxEpochs = maxEpochs };
            AdmissionDecision decision = PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec() with { BatchSize = batch, Epochs = epochs }, Alice));
            string context = $"seed {seed}, case {i}: batch {batch} (min {minBatch}), epochs {epochs} (max {maxEpochs}): {decision}";
            Assert.True((batch >= minBatch) == decision.Refusals.All(r => r.Rule != PolicyRule.MinBatchSize), context);
            Assert.True((epochs <= maxEpochs) == decision.Refusals.All(r => r.Rule != PolicyRule.MaxEpochs), context);
            Assert.True((batch >= minBatch && epochs <= maxEpochs) == decision.Admitted, context);
            if (batch < minBatch)
            {
                Assert.Contains($"batch size {batch} is below this party's minimum of {minBatch}", decision.Refusals.Select(r => r.Reason));
            }
            if (epochs > maxEpochs)
            {
                Assert.Contains($"{epochs} epochs exceed this party's maximum of {maxEpochs}", decision.Refusals.Select(r => r.Reason));
            }
        }
    }

    [Fact]
    public void MinRowsPerAggregateAroundTheLimit()
    {
        const int seed = 90210;
        var random = new Random(seed);
        for (int i = 0; i < 500; i++)
        {
            long min = random.NextInt64(1, 1_000_000);
            long rows = Math.Max(0, min + random.Next(-3, 4));
            AdmissionDecision decision = PolicyEvaluator.CheckRows(Open with { MinRowsPerAggregate = min }, rows);
            string context = $"seed {seed}, case {i}: {rows} rows (min {min}): {decision}";
            Assert.True((rows >= min) == decision.Admitted, context);
            Assert.False(decision.RequiresApproval, context);
            if (rows < min)
            {
                PolicyRefusal refusal = Assert.Single(decision.Refusals);
                Assert.Equal(PolicyRule.MinRowsPerAggregate, refusal.Rule);
                Assert.Equal($"the session's {rows} rows are fewer than this party's minimum of {min} behind an aggregate", refusal.Reason);
            }
        }
    }

    [Theory]
    [InlineData(ReleaseKind.Model, new[] { "$parties" }, null, true)]
    [InlineData(ReleaseKind.Model, new[] { "$parties" }, new[] { "hospital-2:bob" }, true)]
    [InlineData(ReleaseKind.Model, new[] { "$parties" }, new[] { "hospital-9:carol" }, false)]
    [InlineData(ReleaseKind.Model, new[] { "$parties", "$starter" }, new[] { "hospital-9:carol" }, true)]
    [InlineData(ReleaseKind.Model, new[] { "hospital-1" }, null, false)]
    [InlineData(ReleaseKind.Model, new[] { "hospital-1", "hospital-2:*" }, null, true)]
    [InlineData(ReleaseKind.Model, new[] { "hospital-2:bob" }, new[] { "hospital-2" }, false)]
    [InlineData(ReleaseKind.Model, new[] { "hospital-2:bob" }, new[] { "hospital-2:bob" }, true)]
    [InlineData(ReleaseKind.Model, new[] { "*" }, new[] { "hospital-7:zed", "hospital-8" }, true)]
    [InlineData(ReleaseKind.Loss, new[] { "$parties" }, null, false)]
    [InlineData(ReleaseKind.Loss, new[] { "$parties", "$starter" }, null, true)]
    [InlineData(ReleaseKind.Loss, new[] { "$parties", "hospital-9:*" }, null, true)]
    [InlineData(ReleaseKind.Statistics, new[] { "$parties" }, null, true)]
    [InlineData(ReleaseKind.Statistics, new[] { "hospital-1" }, null, false)]
    [InlineData(ReleaseKind.Statistics, new string[0], null, false)]
    public void ReleaseRule(ReleaseKind kind, string[] allowed, string[]? recipients, bool admitted)
    {
        PartyPolicy policy = Open with { Releases = ReleaseRules.Anyone.With(kind, [.. allowed.Select(PolicyPattern.Parse)]) };
        AdmissionDecision decision = PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec() with { Recipients = recipients }, Carol));
        AssertRule(decision, PolicyRule.Release, admitted);
    }

    [Fact]
    public void TheReleasePlanAndItsRefusalsNameKindAndRecipient()
    {
        var request = new AdmissionRequest(Spec() with { Recipients = ["hospital-1", "hospital-3:eve"] }, Carol);
        Assert.Equal(
            [
                new PlannedRelease(ReleaseKind.Statistics, "hospital-1"), new PlannedRelease(ReleaseKind.Statistics, "hospital-2"),
                new PlannedRelease(ReleaseKind.Loss, "hospital-1"), new PlannedRelease(ReleaseKind.Loss, "hospital-2"),
                new PlannedRelease(ReleaseKind.Loss, "hospital-9:carol"),
                new PlannedRelease(ReleaseKind.Model, "hospital-1"), new PlannedRelease(ReleaseKind.Model, "hospital-3:eve"),
            ],
            request.Releases);
        PartyPolicy policy = PartyPolicy.RestrictiveDefault(Party) with { Starters = [PolicyPattern.Anyone] };
        Assert.Equal(
            ["release of the loss to 'hospital-9:carol' is not allowed", "release of the model to 'hospital-3:eve' is not allowed"],
            PolicyEvaluator.Admit(policy, request).Refusals.Select(r => r.Reason));
        Assert.True(PolicyEvaluator.MayReceive(policy, ReleaseKind.Model, "hospital-2:bob", request.Spec, Carol));
        Assert.False(PolicyEvaluator.MayReceive(policy, ReleaseKind.Model, "hospital-9:carol", request.Spec, Carol));
        Assert.False(PolicyEvaluator.MayReceive(policy, ReleaseKind.Model, "not an identity", request.Spec, Carol));
    }

    [Fact]
    public void EveryRuleIsCheckedAndEveryRefusalReturnedInRuleOrder()
    {
        PartyPolicy policy = PartyPolicy.RestrictiveDefault(Party) with
        {
            Peers = [PolicyPattern.ForParty("hospital-3")],
            Models = [SessionModel.Linear],
            Labels = ["outcome"],
            Features = ["age"],
            MinBatchSize = 32,
            MaxEpochs = 20,
        };
        SessionSpec spec = Spec() with { Model = SessionModel.Logistic, Label = "income", Features = ["zip"], BatchSize = 8, Epochs = 50, Recipients = ["hospital-3:eve"] };
        AdmissionDecision decision = PolicyEvaluator.Admit(policy, new AdmissionRequest(spec, Bob));
        Assert.False(decision.Admitted);
        Assert.Equal(
            [
                PolicyRule.Starter, PolicyRule.Peers, PolicyRule.Model, PolicyRule.Label, PolicyRule.Features, PolicyRule.MinBatchSize,
                PolicyRule.MaxEpochs, PolicyRule.Release,
            ],
            decision.Refusals.Select(r => r.Rule));
        Assert.Equal("rule maxEpochs: 50 epochs exceed this party's maximum of 20", decision.Refusals[6].ToString());
        Assert.Equal("rule starter: starter 'hospital-2:bob' is not among this party's starters", decision.Refusals[0].ToString());
    }

    [Fact]
    public void TheRestrictiveDefaultAdmitsItsOwnOperatorsSessionsOnly()
    {
        PartyPolicy policy = PartyPolicy.RestrictiveDefault(Party);
        Assert.True(PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec(), Alice)).Admitted);
        Assert.Equal([PolicyRule.Starter], PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec(), Bob)).Refusals.Select(r => r.Rule));
        Assert.True(PolicyEvaluator.Admit(PartyPolicy.Permissive(Party), new AdmissionRequest(Spec() with { Recipients = ["x-1:y"] }, null)).Admitted);
    }

    [Fact]
    public void ManualApprovalIsRequiredOnlyOfAnAdmittedSession()
    {
        PartyPolicy policy = Open with { Approval = ApprovalMode.Manual, MaxEpochs = 5 };
        AdmissionDecision admitted = PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec() with { Epochs = 5 }, Alice));
        AdmissionDecision refused = PolicyEvaluator.Admit(policy, new AdmissionRequest(Spec() with { Epochs = 6 }, Alice));
        Assert.True(admitted.Admitted);
        Assert.True(admitted.RequiresApproval);
        Assert.False(refused.Admitted);
        Assert.False(refused.RequiresApproval);
        Assert.False(PolicyEvaluator.Admit(Open, new AdmissionRequest(Spec(), Alice)).RequiresApproval);
    }

    /// <summary>
    /// Declared bounds at admission, when the spec names its features: the same bounds admit; other bounds for one
    /// feature, or a feature without declared bounds, refuse under rule privacy naming the feature; a spec without
    /// features is left to the program's check (its features' order is not known before the rows are read).
    /// </summary>
    [Fact]
    public void DeclaredBoundsAreCheckedAtAdmissionWhenTheSpecNamesItsFeatures()
    {
        PartyPolicy policy = Open with { Privacy = new PrivacyRules(Bounds: new Dictionary<string, (double, double)> { ["age"] = (0, 120), ["bmi"] = (10, 70) }) };
        SessionSpec Dp(string[]? features, double[] lower, double[] upper) =>
            Spec() with { Features = features, Privacy = new SessionPrivacy(1, 1e-5, LowerBounds: lower, UpperBounds: upper) };

        AssertRule(PolicyEvaluator.Admit(policy, new AdmissionRequest(Dp(["bmi", "age"], [10, 0], [70, 120]), Alice)), PolicyRule.Privacy, admitted: true);
        AdmissionDecision wider = PolicyEvaluator.Admit(policy, new AdmissionRequest(Dp(["bmi", "age"], [10, 0], [70, 150]), Alice));
        AssertRule(wider, PolicyRule.Privacy, admitted: false);
        Assert.Contains("feature 'age' ([0, 150]) differ from this party's declared [0, 120]", Assert.Single(wider.Refusals).Reason);
        AdmissionDecision undeclared = PolicyEvaluator.Admit(policy, new AdmissionRequest(Dp(["height"], [0], [250]), Alice));
        Assert.Contains("feature 'height' has no public bounds in this party's policy", Assert.Single(undeclared.Refusals).Reason);
        AssertRule(PolicyEvaluator.Admit(policy, new AdmissionRequest(Dp(null, [0], [1]), Alice)), PolicyRule.Privacy, admitted: true);
    }

    private static SessionSpec Spec() => new("s-1", ["hospital-1", "hospital-2"], "outcome");

    private static void AssertRule(AdmissionDecision decision, PolicyRule rule, bool admitted)
    {
        Assert.True(decision.Refusals.All(r => r.Rule == rule), $"only rule {rule} may refuse: {decision}");
        Assert.True(admitted == decision.Admitted, $"expected {(admitted ? "admitted" : "refused")}: {decision}");
    }
}
