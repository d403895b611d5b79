namespace SecureCompute.Grains.Policy;

/// <summary>What one party's policy says of a session: admitted, or every rule it breaks; and whether an operator must approve it.</summary>
/// <param name="Refusals">Every rule the session breaks, in the order the rules are checked; empty when admitted.</param>
/// <param name="RequiresApproval">Whether the admitted session also waits for an operator's approval (manual approval);
/// false when refused, since no operator is asked about a session the policy refuses.</param>
public sealed record AdmissionDecision(IReadOnlyList<PolicyRefusal> Refusals, bool RequiresApproval)
{
    /// <summary>An admission that needs no approval.</summary>
    public static AdmissionDecision Admit { get; } = new([], false);

    /// <summary>Whether the policy admits the session.</summary>
    public bool Admitted => Refusals.Count == 0;

    /// <summary>The refusals, <c>; </c>-separated (<c>rule maxEpochs: …; rule starter: …</c>), or "admitted".</summary>
    public override string ToString() => Admitted ? (RequiresApproval ? "admitted, pending approval" : "admitted") : string.Join("; ", Refusals);
}
