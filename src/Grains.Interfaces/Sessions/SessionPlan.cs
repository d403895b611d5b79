namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>What the coordinator tells each party's party session grain and the dealer before a session starts: all public.</summary>
/// <param name="Spec">The session spec.</param>
/// <param name="Schemas">Every party's schema, in session order.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.SessionPlan")]
public sealed record SessionPlan([property: Id(0)] SessionSpec Spec, [property: Id(1)] PartySchemaInfo[] Schemas)
{
    /// <summary>The index of party <paramref name="party"/> in the session.</summary>
    public int IndexOf(string party)
    {
        int index = Array.IndexOf(Spec.Parties, party);
        return index >= 0 ? index : throw new ArgumentException($"Party '{party}' is not in session '{Spec.Session}'.", nameof(party));
    }
}
