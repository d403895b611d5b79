using SecureCompute.Client.Demo;
using SecureCompute.Client.Train;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Policy;

namespace SecureCompute.Client.Tests;

/// <summary>The README's cluster: the example policies load, admit examples/session.json started by hospital-1's operator, and refuse others.</summary>
public sealed class ExamplePolicyTests
{
    private static readonly string Examples = Path.Combine(DemoCommand.FindDefaultData().Parent!.Parent!.FullName, "examples");

    [Fact]
    public void TheExamplePoliciesAdmitTheExampleSessionFromHospitalOnesOperator()
    {
        SessionSpec spec = SessionSpecFile.Load(new FileInfo(Path.Combine(Examples, "session.json")));
        var starter = new OperatorIdentity("hospital-1", "operator");
        foreach (string party in spec.Parties)
        {
            PartyPolicy policy = PartyPolicyLoader.Load(Path.Combine(Examples, "policies", $"{party}.json"), party);
            AdmissionDecision admitted = PolicyEvaluator.Admit(policy, new AdmissionRequest(spec, starter));
            Assert.True(admitted.Admitted && !admitted.RequiresApproval, $"{party}: {admitted}");
            Assert.False(PolicyEvaluator.Admit(policy, new AdmissionRequest(spec, null)).Admitted, $"{party} admits an anonymous starter");
            Assert.False(PolicyEvaluator.Admit(policy, new AdmissionRequest(spec, new OperatorIdentity("clinic-1", "operator"))).Admitted);
        }
    }
}
