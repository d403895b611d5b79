using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Sessions;

/// <summary>
/// Every party's policy on a session: the answers it gave at once, and the decisions of the parties whose operator
/// must approve it first (their policy answered <see cref="AdmissionVerdict.Pending"/>).
/// </summary>
/// <param name="session">The session, for the errors.</param>
internal sealed class SessionAdmission(string session)
{
    private readonly Dictionary<string, TaskCompletionSource<string?>> approvals = new();

    /// <summary>Throws naming each refusing party of <paramref name="spec"/> and its rules (never a value), if any refused.</summary>
    public static void RequireAdmitted(SessionSpec spec, IReadOnlyList<AdmissionAnswer> answers)
    {
        string[] refusals = answers.Select((a, i) => (a, i)).Where(x => x.a.Verdict == AdmissionVerdict.Refused)
            .Select(x => $"refused by party '{spec.Parties[x.i]}': {string.Join(" ", x.a.Reasons).TrimEnd('.')}").ToArray();
        if (refusals.Length > 0)
        {
            throw new InvalidOperationException(string.Join("; ", refusals));
        }
    }

    /// <summary>From now on the session waits for <paramref name="party"/>'s decision.</summary>
    public void Await(string party) =>
        approvals[party] = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Party <paramref name="party"/>'s decision; throws when the session awaits none of it.</summary>
    public void Decide(string party, bool approved, string reason)
    {
        if (!approvals.TryGetValue(party, out TaskCompletionSource<string?>? decision))
        {
            throw new InvalidOperationException($"Session '{session}' awaits no decision of party '{party}'.");
        }
        decision.TrySetResult(approved ? null : $"refused by party '{party}': {reason}");
    }

    /// <summary>
    /// Completes once every awaited party approved; throws naming every refusal once all decided, or a
    /// <see cref="TimeoutException"/> when some party did not decide within <paramref name="limit"/>.
    /// </summary>
    public async Task AllApprovedAsync(TimeSpan limit)
    {
        string?[] rejections = await Task.WhenAll(approvals.Values.Select(a => a.Task)).WaitAsync(limit);
        string[] refused = rejections.OfType<string>().ToArray();
        if (refused.Length > 0)
        {
            throw new InvalidOperationException(string.Join("; ", refused));
        }
    }

    /// <summary>The parties that have not decided yet, as an error names them.</summary>
    public string Undecided => string.Join(", ", approvals.Where(a => !a.Value.Task.IsCompleted).Select(a => $"party '{a.Key}'"));
}
