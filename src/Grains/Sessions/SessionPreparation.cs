using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Placement;

namespace SecureCompute.Grains.Sessions;

/// <summary>
/// Prepares a started session until every party's program runs. Steps:
/// 1. Check the spec (<see cref="SessionLifecycle.Start"/>); wait for a silo of every party; ask every party's policy,
///    and wait for the operators' approval where a policy asks for it.
/// 2. Ask every party grain (on its own silo) for its schema; check the schemas agree and every party admits the rows.
/// 3. Send every party's party session grain the plan (spec + schemas, all public).
/// 4. The dealer sends each party session grain its material seed; each party sends every later party a pairwise seed. Both
///    go grain to grain: no seed passes through the coordinator.
/// 5. Store the session as training, then start every party's program.
/// </summary>
/// <param name="session">The session.</param>
/// <param name="lifecycle">Where the session stands.</param>
/// <param name="persistence">The session's storage.</param>
/// <param name="recovery">Records the parties' silos for the liveness checks.</param>
/// <param name="grains">Reaches the parties, their party session grains and the dealer.</param>
/// <param name="directory">Which parties have a silo.</param>
/// <param name="limits">The coordinator's time limits.</param>
/// <param name="tap">Sees what the coordinator receives, if registered.</param>
/// <param name="logger">The coordinator's logger.</param>
/// <param name="publish">Pushes the progress of the moment to the session's subscribers.</param>
/// <param name="fail">Fails the session with a cause (the first cause wins).</param>
internal sealed partial class SessionPreparation(string session, SessionLifecycle lifecycle, SessionPersistence persistence, SessionRecovery recovery,
    IGrainFactory grains, PartyDirectory directory, IOptions<SessionOptions> limits, ICoordinatorTap? tap, ILogger logger, Action publish, Action<string> fail)
{
    private readonly SessionAdmission admission = new(session);

    /// <summary>
    /// Steps 1–5 of a session just started with <paramref name="spec"/>; returns once training runs, or once the
    /// session waits for an operator's approval (it goes on by itself then). A failure fails the session and is thrown.
    /// </summary>
    public async Task RunAsync(SessionSpec spec, ClientCredential starter)
    {
        try
        {
            IReadOnlyList<string> missing = await directory.MissingAsync(spec.Parties, limits.Value.JoinTimeout);
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"no silo of {string.Join(", ", missing)} is in the cluster (waited {limits.Value.JoinTimeout.TotalSeconds:F0} s).");
            }
            // Every party's policy first: a refusal comes before any row is read and any seed is drawn.
            AdmissionAnswer[] answers = await Task.WhenAll(spec.Parties.Select(p => grains.GetGrain<IPartyGrain>(p).AdmitAsync(spec, starter)))
                .WaitAsync(limits.Value.PrepareTimeout);
            SessionAdmission.RequireAdmitted(spec, answers);
            string[] waiting = spec.Parties.Where((_, i) => answers[i].Verdict == AdmissionVerdict.Pending).ToArray();
            if (waiting.Length == 0)
            {
                await PrepareAndStartAsync();
                return;
            }
            // Manual approval: the client's call returns now; the session goes on once every such party's operator approved.
            lifecycle.AwaitApproval();
            foreach (string party in waiting)
            {
                admission.Await(party);
            }
            TimeSpan longest = answers.Max(a => a.ApprovalTimeout) + limits.Value.PrepareTimeout;
            publish();
            LogAwaiting(logger, session, string.Join(", ", waiting));
            _ = AfterApprovalAsync(longest);
        }
        catch (Exception e)
        {
            fail(e.Message);
            throw;
        }
    }

    /// <summary>Party <paramref name="party"/>'s operator decided on the session; throws when the session awaits no decision of it.</summary>
    public void Decide(string party, bool approved, string reason) => admission.Decide(party, approved, reason);

    /// <summary>
    /// After a cancel: every party's party session grain and the dealer drop what they hold of the session, in memory and in
    /// storage (DESIGN §10: no share left behind), and take nothing more for it. The parties' workers stop at their next
    /// open, which the session's failure made fail. Idempotent: a cancel of a failed session clears what it left.
    /// </summary>
    public async Task DiscardEverywhereAsync()
    {
        SessionSpec spec = lifecycle.Spec!;
        await Task.WhenAll(spec.Parties.Select(p => grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of(session, p)).DiscardAsync())
            .Append(grains.GetGrain<IDealerGrain>(session).DiscardAsync())).WaitAsync(limits.Value.PrepareTimeout);
    }

    /// <summary>Waits for every pending party's decision (each party times out by its own policy), then prepares and starts.</summary>
    private async Task AfterApprovalAsync(TimeSpan limit)
    {
        try
        {
            await admission.AllApprovedAsync(limit);
            if (lifecycle.State == SessionState.AwaitingApproval)
            {
                await PrepareAndStartAsync();
            }
        }
        catch (Exception e)
        {
            fail(e is TimeoutException ? $"no decision from {admission.Undecided} within {limit.TotalSeconds:F0} s." : e.Message);
        }
    }

    /// <summary>Steps 2–5 once every party admitted the session: schemas (the parties read their rows), the row rule, plan, seeds, start.</summary>
    private async Task PrepareAndStartAsync()
    {
        SessionSpec spec = lifecycle.Spec!;
        if (lifecycle.State is SessionState.Failed or SessionState.Completed)
        {
            return;   // cancelled (or failed) while the parties' admission answers were awaited: no row is read, no seed drawn
        }
        if (lifecycle.Prepare())
        {
            publish();
        }
        PartySchemaInfo[] schemas = await Task.WhenAll(spec.Parties.Select(p => grains.GetGrain<IPartyGrain>(p).DescribeAsync(spec.Session)))
            .WaitAsync(limits.Value.PrepareTimeout);
        foreach (var (schema, i) in schemas.Select((s, i) => (s, i)))
        {
            tap?.Received(session, i, schema);
        }
        PartySchemas.RequireSame(schemas.Select(SessionSpecs.ToSchema).ToArray());
        long rows = schemas.Sum(s => (long)s.Rows);
        SessionAdmission.RequireAdmitted(spec, await Task.WhenAll(spec.Parties.Select(p => grains.GetGrain<IPartyGrain>(p).ConfirmRowsAsync(spec.Session, rows)))
            .WaitAsync(limits.Value.PrepareTimeout));
        var plan = new SessionPlan(spec, schemas);
        IPartySessionGrain[] tensors = spec.Parties.Select(p => grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of(session, p))).ToArray();
        await Task.WhenAll(tensors.Select(t => t.PrepareAsync(plan)));
        await grains.GetGrain<IDealerGrain>(session).BeginAsync(plan);
        await Task.WhenAll(tensors.Select(t => t.SendPairwiseSeedsAsync()));
        if (!lifecycle.Train())
        {
            await DiscardEverywhereAsync();   // cancelled meanwhile: a party or the dealer may have taken seeds after the cancel's discard
            return;
        }
        publish();
        await persistence.PersistAsync();
        recovery.RecordPartySilos();
        await Task.WhenAll(tensors.Select(t => t.StartAsync()));
        LogStarted(logger, session, spec.Parties.Length);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session} started with {Parties} parties")]
    private static partial void LogStarted(ILogger logger, string session, int parties);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session} awaits the approval of {Parties}")]
    private static partial void LogAwaiting(ILogger logger, string session, string parties);
}
