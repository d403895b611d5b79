using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Policy;

/// <summary>A session as a party's policy sees it: its public spec and the proven identity of the client that started it.</summary>
/// <param name="Spec">The session's spec.</param>
/// <param name="Starter">The client that started the session; null for an anonymous client (no TLS, nothing declared).</param>
public sealed record AdmissionRequest(SessionSpec Spec, OperatorIdentity? Starter)
{
    /// <summary>
    /// The session's release plan: the statistics to every party; the loss to every party and the starter; the model
    /// to <see cref="SessionSpec.Recipients"/>, or to every party when it names none; in federated mode every round's
    /// aggregate update to every party. Each recipient once per kind.
    /// </summary>
    public IReadOnlyList<PlannedRelease> Releases
    {
        get
        {
            IEnumerable<string> parties = Spec.Parties;
            IEnumerable<string> starter = Starter is null ? [] : [Starter.ToString()];
            return
            [
                .. parties.Distinct().Select(p => new PlannedRelease(ReleaseKind.Statistics, p)),
                .. parties.Concat(starter).Distinct().Select(p => new PlannedRelease(ReleaseKind.Loss, p)),
                .. (Spec.Recipients ?? Spec.Parties).Distinct().Select(p => new PlannedRelease(ReleaseKind.Model, p)),
                // Federated: every round's aggregate update (and so the model) reaches every party.
                .. Spec.Mode == SessionMode.Federated ? parties.Distinct().Select(p => new PlannedRelease(ReleaseKind.Update, p)) : [],
            ];
        }
    }
}
