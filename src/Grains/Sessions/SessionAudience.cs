using SecureCompute.Grains.Governance;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Sessions;

/// <summary>
/// Who may follow a session's releases (its losses and statistics) and stop it: its starter and the operators of its
/// parties, as their credentials prove. Anyone else sees its state, counts and costs only.
/// </summary>
/// <param name="session">The session (the subject every credential must name).</param>
/// <param name="clients">Verifies the clients' credentials.</param>
internal sealed class SessionAudience(string session, ClientIdentities clients)
{
    /// <summary>How many observers' credentials are kept verified before the cache starts afresh.</summary>
    private const int KeptObservers = 64;

    private readonly Dictionary<string, OperatorIdentity?> observers = new();
    private OperatorIdentity? starter;

    /// <summary>Verifies the starter's credential: the starter is one of the audience (null for an anonymous starter).</summary>
    public void Started(ClientCredential credential) => starter = clients.Verify(credential, ClientPurpose.Start, session);

    /// <summary>The operator cancelling with <paramref name="credential"/>; throws unless it is the starter or an operator of a party of <paramref name="spec"/>.</summary>
    public OperatorIdentity RequireCanceller(ClientCredential credential, SessionSpec? spec)
    {
        OperatorIdentity? who = clients.Verify(credential, ClientPurpose.Cancel, session);
        if (spec is null || who is null || !(who == starter || spec.Parties.Contains(who.Party)))
        {
            throw new UnauthorizedAccessException($"Session '{session}' may be cancelled only by its starter or an operator of one of its parties.");
        }
        return who;
    }

    /// <summary><paramref name="progress"/> as <paramref name="observer"/> may see it.</summary>
    public SessionProgress Filter(SessionProgress progress, SessionSpec? spec, ClientCredential observer)
    {
        if (MaySeeReleases(observer, spec))
        {
            return progress;
        }
        // Not a recipient of the losses and statistics: state, counts and costs only.
        return progress with
        {
            EpochLoss = Array.Empty<double>(),
            Report = progress.Report is null ? null : progress.Report with { EpochLoss = Array.Empty<double>(), Means = Array.Empty<double>(), StandardDeviations = Array.Empty<double>() },
        };
    }

    /// <summary>
    /// Whether <paramref name="observer"/> is the starter or an operator of a session party (verified once per credential:
    /// a client polls with the same one for minutes). An anonymous starter — admitted only by policies that admit
    /// anyone — makes every anonymous observer its equal.
    /// </summary>
    private bool MaySeeReleases(ClientCredential observer, SessionSpec? spec)
    {
        if (spec is null)
        {
            return false;
        }
        string key = $"{observer.Declared}|{observer.IssuedAt:O}|{Convert.ToBase64String(observer.Signature)}";
        if (!observers.TryGetValue(key, out OperatorIdentity? who))
        {
            if (observers.Count > KeptObservers)
            {
                observers.Clear();
            }
            who = clients.Verify(observer, ClientPurpose.Observe, session);
            observers[key] = who;
        }
        return who == starter || who is not null && spec.Parties.Contains(who.Party);
    }
}
