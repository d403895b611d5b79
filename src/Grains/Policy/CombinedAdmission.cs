namespace SecureCompute.Grains.Policy;

/// <summary>Every party's decision on a session together: it runs only if every party admits it.</summary>
/// <param name="Refusals">Every refusal, party by party in the order given, each party's in its rule order.</param>
/// <param name="PendingApproval">The parties whose operators must still approve the session, in the order given.</param>
public sealed record CombinedAdmission(IReadOnlyList<PartyRefusal> Refusals, IReadOnlyList<string> PendingApproval)
{
    /// <summary>Whether every party admits the session.</summary>
    public bool Admitted => Refusals.Count == 0;

    /// <summary>The parties that refuse, each once, in the order given.</summary>
    public IReadOnlyList<string> RefusingParties => Refusals.Select(r => r.Party).Distinct().ToList();

    /// <summary>
    /// <c>refused by hospital-2 (rule maxEpochs: …; rule starter: …); by hospital-3 (rule starter: …)</c>, or, when
    /// admitted, <c>admitted by every party</c> with the parties whose approval is pending.
    /// </summary>
    public string Message
    {
        get
        {
            if (Admitted)
            {
                return PendingApproval.Count == 0
                    ? "admitted by every party"
                    : $"admitted by every party; awaiting approval by {string.Join(", ", PendingApproval)}";
            }
            IEnumerable<string> parts = Refusals
                .GroupBy(r => r.Party)
                .Select(g => $"{g.Key} ({string.Join("; ", g.Select(r => r.Refusal))})");
            return $"refused by {string.Join("; by ", parts)}";
        }
    }

    /// <inheritdoc cref="Message" />
    public override string ToString() => Message;
}
