using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Placement;

namespace SecureCompute.Grains.Sessions;

/// <summary>
/// A session's way back after a party's silo (or its coordinator's) was lost mid-session: notices the loss, then resumes
/// every party from the newest checkpoint they all hold, as a new attempt (DESIGN §10: resume, never hang).
/// </summary>
/// <remarks>
/// Runs on the coordinator's turns. The order of its steps is what keeps a resume safe while opens keep arriving: the
/// attempt is superseded and every waiting round failed in the same turn that notices the loss, and stored before any
/// party hears of the next attempt.
/// </remarks>
/// <param name="session">The session.</param>
/// <param name="lifecycle">Where the session stands.</param>
/// <param name="hub">The session's opens.</param>
/// <param name="persistence">The session's storage.</param>
/// <param name="grains">Reaches the parties' party session grains.</param>
/// <param name="directory">Which silos each party has.</param>
/// <param name="limits">The coordinator's time limits.</param>
/// <param name="logger">The coordinator's logger.</param>
/// <param name="publish">Pushes the progress of the moment to the session's subscribers.</param>
/// <param name="fail">Fails the session with a cause (the first cause wins).</param>
internal sealed partial class SessionRecovery(string session, SessionLifecycle lifecycle, RoundHub hub, SessionPersistence persistence,
    IGrainFactory grains, PartyDirectory directory, IOptions<SessionOptions> limits, ILogger logger, Action publish, Action<string> fail)
{
    /// <summary>Each party's silos as they were when its program (of the current attempt) started.</summary>
    private readonly Dictionary<int, SiloAddress[]> partySilos = new();

    /// <summary>Whether a resume is under way: a loss noticed meanwhile, or a party's failure, is part of it.</summary>
    public bool Resuming { get; private set; }

    /// <summary>A party one of whose silos (as recorded when its program started) has left the cluster, if any.</summary>
    public int? LostParty()
    {
        foreach (var (party, silos) in partySilos)
        {
            SiloAddress[] active = directory.SilosOf(lifecycle.Spec!.Parties[party]);
            if (silos.Any(s => !active.Contains(s)))
            {
                return party;
            }
        }
        return null;
    }

    /// <summary>Records every party's silos of the moment, just before their programs start.</summary>
    public void RecordPartySilos()
    {
        SessionSpec spec = lifecycle.Spec!;
        for (int p = 0; p < spec.Parties.Length; p++)
        {
            partySilos[p] = directory.SilosOf(spec.Parties[p]);
        }
    }

    /// <summary>
    /// Begins a resume (see <see cref="ResumeAsync"/>) without waiting for it. It runs synchronously up to its first wait:
    /// the attempt is superseded before this call returns.
    /// </summary>
    /// <param name="cause">What was lost, for the log and the error (no value in it).</param>
    /// <param name="roundIndex">The round that noticed, or −1.</param>
    public void Begin(string cause, long roundIndex)
    {
        Resuming = true;
        _ = ResumeAsync(cause, roundIndex);
    }

    /// <summary>
    /// A party's silo (or this coordinator's) was lost mid-session. Steps:
    /// 1. Supersede the current attempt (stored before any party hears of the next): every waiting round fails, so
    ///    every surviving party's program stops.
    /// 2. Wait up to <see cref="SessionOptions.PartyLossGrace"/> for every party to have a silo; if one has none by
    ///    then, fail the session naming it.
    /// 3. Ask every party which checkpoints it holds; resume all of them, as the new attempt, from the newest epoch
    ///    all hold (or from the start).
    /// </summary>
    private async Task ResumeAsync(string cause, long roundIndex)
    {
        var clock = Stopwatch.StartNew();
        lifecycle.NewAttempt();
        hub.FailAll($"Session '{session}' is resuming: {cause}.");
        LogLost(logger, session, cause, roundIndex);
        try
        {
            await persistence.PersistAsync();
            SessionSpec spec = lifecycle.Spec!;
            string[] missing;
            while ((missing = spec.Parties.Where(p => directory.SilosOf(p).Length == 0).ToArray()).Length > 0)
            {
                if (clock.Elapsed > limits.Value.PartyLossGrace)
                {
                    Resuming = false;
                    string names = string.Join(", ", missing.Select(p => $"party '{p}'"));
                    fail($"{cause}, and no silo of {names} was back within {limits.Value.PartyLossGrace.TotalSeconds:F0} s{(roundIndex >= 0 ? $" (round {roundIndex})" : "")}.");
                    return;
                }
                await Task.Delay(200);
            }
            if (lifecycle.State != SessionState.Training)
            {
                Resuming = false;
                return;   // cancelled (or failed) while waiting: nothing to resume
            }
            IPartySessionGrain[] tensors = spec.Parties.Select(p => grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of(session, p))).ToArray();
            TimeSpan limit = limits.Value.PrepareTimeout + limits.Value.JoinTimeout;
            int[][] held = await Task.WhenAll(tensors.Select(t => SiloLossRetry.RunAsync(t.GetCheckpointEpochsAsync))).WaitAsync(limit);
            int from = held.Skip(1).Aggregate((IEnumerable<int>)held[0], (common, h) => common.Intersect(h)).DefaultIfEmpty(0).Max();
            lifecycle.RewindTo(from);
            if (lifecycle.State != SessionState.Training)
            {
                Resuming = false;
                return;
            }
            lifecycle.Restart();
            int next = lifecycle.Attempt;
            await Task.WhenAll(tensors.Select(t => SiloLossRetry.RunAsync(() => t.ResumeAsync(next, from)))).WaitAsync(limit);
            RecordPartySilos();
            lifecycle.Resumed();
            Resuming = false;
            publish();
            await persistence.PersistAsync();
            LogResumed(logger, session, from, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e)
        {
            Resuming = false;
            fail($"{cause}, and the session could not resume: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session}: {Cause} (round {Round}); waiting for every party to have a silo")]
    private static partial void LogLost(ILogger logger, string session, string cause, long round);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session} resumed from epoch {Epochs}, {Seconds:F1} s after noticing")]
    private static partial void LogResumed(ILogger logger, string session, int epochs, double seconds);
}
