using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>Who receives a session's model: the spec's <c>recipients</c> (party ids and client identities), by default every party.</summary>
public static class SessionRecipients
{
    /// <summary>The recipients as named (every session party when the spec names none).</summary>
    public static IReadOnlyList<string> Of(SessionSpec spec) => spec.Recipients ?? spec.Parties;

    /// <summary>The session indices of the recipient parties, in session order.</summary>
    public static int[] Parties(SessionSpec spec)
    {
        IReadOnlyList<string> named = Of(spec);
        return Enumerable.Range(0, spec.Parties.Length).Where(i => named.Contains(spec.Parties[i])).ToArray();
    }

    /// <summary>The recipient clients (each receives every party's share and sums them itself).</summary>
    public static OperatorIdentity[] Clients(SessionSpec spec) =>
        Of(spec).Where(r => !spec.Parties.Contains(r)).Select(OperatorIdentity.TryParse).OfType<OperatorIdentity>().ToArray();

    /// <summary>Whether <paramref name="who"/> is a client recipient.</summary>
    public static bool IsClientRecipient(SessionSpec spec, OperatorIdentity? who) => who is not null && Clients(spec).Contains(who);

    /// <summary>Every problem with the recipients: each must be a session party or a client identity (<c>party:name</c>).</summary>
    public static IReadOnlyList<string> Problems(SessionSpec spec)
    {
        var problems = new List<string>();
        if (spec.Recipients is null)
        {
            return problems;
        }
        if (spec.Recipients.Length == 0)
        {
            problems.Add("recipients, when given, must name at least one party or client.");
        }
        foreach (string r in spec.Recipients)
        {
            if (!spec.Parties.Contains(r) && OperatorIdentity.TryParse(r) is null)
            {
                problems.Add($"recipient '{r}' is neither a party of the session nor a client identity (party:name).");
            }
        }
        if (spec.Recipients.Distinct().Count() != spec.Recipients.Length)
        {
            problems.Add("recipients must be distinct.");
        }
        return problems;
    }
}
