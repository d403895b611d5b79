namespace SecureCompute.Grains.Policy;

/// <summary>Combines the parties' decisions on a session: the most restrictive wins.</summary>
public static class Admission
{
    /// <summary>
    /// Every party's decision together: refused if any party refuses (every refusal kept and named by party), and
    /// pending the approval of every party whose policy asks for it. A party listed twice (admission rules, then rows)
    /// contributes both decisions.
    /// </summary>
    public static CombinedAdmission Combine(IEnumerable<(string Party, AdmissionDecision Decision)> decisions)
    {
        var refusals = new List<PartyRefusal>();
        var pending = new List<string>();
        foreach ((string party, AdmissionDecision decision) in decisions)
        {
            refusals.AddRange(decision.Refusals.Select(r => new PartyRefusal(party, r)));
            if (decision.RequiresApproval && !pending.Contains(party))
            {
                pending.Add(party);
            }
        }
        return new CombinedAdmission(refusals, pending);
    }
}
