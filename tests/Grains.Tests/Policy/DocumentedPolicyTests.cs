using System.Text.RegularExpressions;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Policy;

namespace SecureCompute.Grains.Tests.Policy;

/// <summary>docs/policy.md's examples load, and the three hospitals' policies decide as the document says.</summary>
public sealed partial class DocumentedPolicyTests
{
    private static readonly string[] Hospitals = ["hospital-1", "hospital-2", "hospital-3"];
    private static readonly string[] Features = ["age", "bmi", "systolic", "diastolic", "hba1c"];

    [Fact]
    public void EveryExampleLoadsAndTheDefaultIsTheRestrictiveDefault()
    {
        IReadOnlyList<PartyPolicy> policies = Examples();
        Assert.Equal(5, policies.Count);
        Assert.Equal(PartyPolicy.RestrictiveDefault("P"), policies[1]);
        Assert.Equal(Hospitals, policies.Skip(2).Select(p => p.Party));
    }

    [Fact]
    public void TheThreeHospitalsDecideAsDocumented()
    {
        PartyPolicy[] hospitals = [.. Examples().Skip(2)];
        var spec = new SessionSpec("study-1", Hospitals, "readmitted", Epochs: 20, BatchSize: 64, Recipients: ["hospital-1", "hospital-2:analyst"],
            Features: Features);
        var alice = new OperatorIdentity("hospital-1", "alice");

        CombinedAdmission admitted = Decide(hospitals, new AdmissionRequest(spec, alice));
        Assert.True(admitted.Admitted, admitted.Message);
        Assert.Equal(["hospital-1", "hospital-3"], admitted.PendingApproval);
        Assert.True(PolicyEvaluator.MayApprove(hospitals[0], new OperatorIdentity("hospital-1", "dpo")));
        Assert.False(PolicyEvaluator.MayApprove(hospitals[0], alice));

        AssertRefused(Decide(hospitals, new AdmissionRequest(spec with { Epochs = 30 }, alice)), "hospital-2", PolicyRule.MaxEpochs);
        AssertRefused(Decide(hospitals, new AdmissionRequest(spec, new OperatorIdentity("hospital-1", "bob"))), "hospital-3", PolicyRule.Starter);
        AssertRefused(Decide(hospitals, new AdmissionRequest(spec with { Recipients = null }, alice)), "hospital-2", PolicyRule.Release);
        AssertRefused(Decide(hospitals, new AdmissionRequest(spec with { Recipients = ["hospital-1", "hospital-3:eve"] }, alice)), "hospital-2", PolicyRule.Release);
        CombinedAdmission rows = Admission.Combine(hospitals.Select(p => (p.Party, PolicyEvaluator.CheckRows(p, 800))));
        AssertRefused(rows, "hospital-2", PolicyRule.MinRowsPerAggregate);
    }

    private static CombinedAdmission Decide(IEnumerable<PartyPolicy> policies, AdmissionRequest request) =>
        Admission.Combine(policies.Select(p => (p.Party, PolicyEvaluator.Admit(p, request))));

    private static void AssertRefused(CombinedAdmission combined, string party, PolicyRule rule)
    {
        PartyRefusal refusal = Assert.Single(combined.Refusals);
        Assert.Equal(party, refusal.Party);
        Assert.Equal(rule, refusal.Refusal.Rule);
        Assert.StartsWith($"refused by {party} (rule {refusal.Refusal.RuleName}: ", combined.Message);
    }

    private static IReadOnlyList<PartyPolicy> Examples()
    {
        string path = Path.Combine(Root(), "docs", "policy.md");
        return JsonBlock().Matches(File.ReadAllText(path))
            .Select(m => m.Groups["json"].Value)
            .Select(json => PartyPolicyLoader.Parse(json, path, PartyOf().Match(json).Groups["party"].Value))
            .ToList();
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecureCompute.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (SecureCompute.sln) is not above the test output folder.");
    }

    [GeneratedRegex("```json\n(?<json>.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [GeneratedRegex("\"party\": \"(?<party>[^\"]+)\"")]
    private static partial Regex PartyOf();
}
