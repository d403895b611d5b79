using Orleans.Concurrency;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Placement;
using SecureCompute.Mpc.Diagnostics;

namespace SecureCompute.Grains.Sessions;

/// <summary>
/// The coordinator of one session. It prepares the session, then is the hub of every open: each party sends its
/// masked message, and once all have, the sum goes back to each — one round trip per round (DESIGN §5's star).
/// </summary>
/// <remarks>
/// <see cref="StartAsync"/> checks the spec, then <see cref="SessionPreparation"/> asks every party's policy, gathers
/// the schemas, sends the plan, has the seeds dealt grain to grain (no seed passes through here) and starts every
/// party's program. From then on this grain only combines opens and records progress.
/// Reentrant: the parties' open calls for a round wait here together.
/// Where the session stands (<see cref="CoordinatorSnapshot"/>, nothing secret) is kept in storage at each released
/// epoch loss, each resume and at the end; if this grain's silo is lost, the next call activates it on another party
/// silo, which reads it back and resumes the session like after any party's loss (<see cref="OnActivateAsync"/>).
/// Every change a client may follow — a state, a released epoch loss, a resume, the end — is pushed to the session's
/// subscribers (<see cref="ProgressSubscribers"/>) as it happens.
/// The grain routes; its parts hold the state: <see cref="SessionLifecycle"/> (where the session stands),
/// <see cref="RoundHub"/> (the opens), <see cref="SessionRecovery"/> (a lost silo), <see cref="SessionPersistence"/>
/// (storage), <see cref="SessionPreparation"/> (the set-up) and <see cref="SessionAudience"/> (who sees what). All of
/// them run on this grain's turns, one at a time, so none needs a lock.
/// </remarks>
[Reentrant]
[CoordinatorPlacement]
public sealed partial class TrainingSessionGrain : Grain, ITrainingSessionGrain, Authorization.ISessionMembership
{
    /// <summary>How often a waiting round checks that the parties it waits for still have a silo.</summary>
    private static readonly TimeSpan LivenessCheck = TimeSpan.FromSeconds(1);

    private readonly IOptions<SessionOptions> limits;
    private readonly SiloIdentity silo;
    private readonly ILogger<TrainingSessionGrain> logger;
    private readonly ICoordinatorTap? tap;
    private readonly SessionLifecycle lifecycle;
    private readonly RoundHub hub;
    private readonly SessionPersistence persistence;
    private readonly SessionRecovery recovery;
    private readonly SessionPreparation preparation;
    private readonly SessionAudience audience;
    private readonly ProgressSubscribers subscribers;
    private Activity? sessionSpan;

    /// <summary>A coordinator with its parts; a stored session is read back on activation.</summary>
    public TrainingSessionGrain(IGrainFactory grains, PartyDirectory directory, SiloIdentity silo, IOptions<SessionOptions> limits, IServiceProvider services,
        Governance.ClientIdentities clients,
        [PersistentState("session")] IPersistentState<CoordinatorState> stored, ILogger<TrainingSessionGrain> logger)
    {
        (this.silo, this.limits, this.logger) = (silo, limits, logger);
        tap = services.GetService<ICoordinatorTap>();
        lifecycle = new SessionLifecycle(Session);
        hub = new RoundHub(Session, cause =>
        {
            Fail(cause);
            return lifecycle.Error;
        });
        persistence = new SessionPersistence(stored, () => lifecycle.Snapshot(hub.Rounds, silo.Party), logger, Session);
        recovery = new SessionRecovery(Session, lifecycle, hub, persistence, grains, directory, limits, logger, Publish, Fail);
        preparation = new SessionPreparation(Session, lifecycle, persistence, recovery, grains, directory, limits, tap, logger, Publish, Fail);
        audience = new SessionAudience(Session, clients);
        subscribers = new ProgressSubscribers(logger);
    }

    private string Session => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public IReadOnlyList<string>? SessionParties => lifecycle.Spec?.Parties;

    /// <summary>
    /// Reads back where the session stood. A session that was training when its coordinator's last activation ended —
    /// its silo was lost, most likely together with that silo's party — resumes as a new attempt: waits for every
    /// party to have a silo, then restarts all of them from the newest checkpoint they all hold.
    /// </summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (persistence.Stored is not { } snapshot)
        {
            return Task.CompletedTask;
        }
        lifecycle.Restore(snapshot);
        hub.Restore(snapshot.Rounds);
        LogRestored(logger, Session, lifecycle.State, snapshot.HostParty ?? "?", lifecycle.EpochLoss.Count);
        if (lifecycle.State == SessionState.Training)
        {
            BeginSessionSpan(MpcDiagnostics.ActivitySource.StartActivity(MpcDiagnostics.SessionSpan, ActivityKind.Internal, default(ActivityContext)));
            // Runs synchronously up to its first wait: the attempt is superseded before any call reaches this activation.
            recovery.Begin($"its coordinator's silo (party '{snapshot.HostParty}') was lost", -1);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StartAsync(SessionSpec spec, ClientCredential starter)
    {
        lifecycle.Start(spec);
        BeginSessionSpan(MpcDiagnostics.ActivitySource.StartActivity(MpcDiagnostics.SessionSpan));
        audience.Started(starter);
        Publish();
        await preparation.RunAsync(spec, starter);
    }

    /// <inheritdoc />
    public Task PartyDecidedAsync(string party, bool approved, string reason)
    {
        preparation.Decide(party, approved, reason);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task CancelAsync(ClientCredential credential)
    {
        OperatorIdentity who = audience.RequireCanceller(credential, lifecycle.Spec);
        if (lifecycle.State == SessionState.Completed)
        {
            return;   // nothing left to stop; the recipients' results stay with the parties
        }
        bool planSent = lifecycle.State is SessionState.Preparing or SessionState.Training or SessionState.Failed;
        Fail($"cancelled by {who}.");
        LogCancelled(logger, Session, who.ToString());
        if (planSent)
        {
            await preparation.DiscardEverywhereAsync();
        }
    }

    /// <inheritdoc />
    public async Task<OpenContribution> OpenAsync(int party, OpenContribution message)
    {
        tap?.Received(Session, party, message);
        lifecycle.RequireTraining(party);
        if (message.Attempt != lifecycle.Attempt)
        {
            throw new InvalidOperationException($"Session '{Session}' is at attempt {lifecycle.Attempt}; attempt {message.Attempt} is superseded.");
        }
        if (message.Chunks < 1 || message.Chunk < 0 || message.Chunk >= message.Chunks)
        {
            throw new ArgumentException($"Round {message.Round}: part {message.Chunk} of {message.Chunks} does not exist.", nameof(message));
        }
        if (hub.Answered(message.Round, message.Chunk) is { } answered)
        {
            return answered;   // a party's resend of an open already answered (GrainOpenChannel resends an unanswered open)
        }
        SessionSpec spec = lifecycle.Spec!;
        PendingRound round = hub.Join(party, message, spec.Parties.Length, sessionSpan?.Context ?? default);
        DateTime deadline = DateTime.UtcNow + limits.Value.RoundTimeout;
        while (true)
        {
            try
            {
                return await round.Opened.WaitAsync(LivenessCheck);
            }
            catch (TimeoutException)
            {
                if (lifecycle.State == SessionState.Failed)
                {
                    throw new InvalidOperationException($"Session '{Session}' has failed: {lifecycle.Error}");
                }
                if (!recovery.Resuming && recovery.LostParty() is { } lost)
                {
                    recovery.Begin($"the silo of party '{spec.Parties[lost]}' left the cluster", round.Index);
                    continue;
                }
                if (DateTime.UtcNow > deadline)
                {
                    string missing = string.Join(", ", round.Missing.Select(p => $"'{spec.Parties[p]}'"));
                    Fail($"round {round.Index}: no message from party {missing} within {limits.Value.RoundTimeout.TotalSeconds:F0} s.");
                    throw new TimeoutException(lifecycle.Error);
                }
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Stored before it returns: party 0 checkpoints an epoch only after this, so a coordinator read back after a loss
    /// has every loss up to any epoch a resume can start from.
    /// </remarks>
    public async Task EpochDoneAsync(int attempt, int epoch, double loss)
    {
        tap?.Received(Session, 0, loss);
        if (lifecycle.AddEpochLoss(attempt, epoch, loss))
        {
            await persistence.PersistAsync();
            Publish();
        }
    }

    /// <inheritdoc />
    public Task PartyFinishedAsync(int party, int attempt, SessionReport? report, long dealerBytes)
    {
        lifecycle.RequireParty(party);
        if (dealerBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dealerBytes), "Dealer bytes cannot be negative.");
        }
        if (attempt != lifecycle.Attempt)
        {
            return Task.CompletedTask;
        }
        if (report is not null)
        {
            tap?.Received(Session, party, report);
        }
        if (lifecycle.PartyFinished(party, report, dealerBytes))
        {
            sessionSpan?.SetTag(MpcDiagnostics.RoundIndexTag, hub.Rounds);
            sessionSpan?.Stop();
            persistence.PersistInBackground();
            Publish();
            LogCompleted(logger, Session, hub.Rounds);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PartyFailedAsync(int party, int attempt, string error)
    {
        tap?.Received(Session, party, error);
        lifecycle.RequireParty(party);
        if (attempt == lifecycle.Attempt && !recovery.Resuming)
        {
            Fail(error);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string?> GetHostPartyAsync() => Task.FromResult(silo.Party);

    /// <inheritdoc />
    public Task<SessionProgress> GetProgressAsync(ClientCredential observer) => Task.FromResult(ProgressFor(observer));

    /// <inheritdoc />
    public Task<SessionProgress> SubscribeAsync(ISessionObserver observer, ClientCredential credential)
    {
        subscribers.Subscribe(observer, credential);
        return Task.FromResult(ProgressFor(credential));
    }

    /// <inheritdoc />
    public Task UnsubscribeAsync(ISessionObserver observer)
    {
        subscribers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>The progress of the moment as <paramref name="observer"/> may see it.</summary>
    private SessionProgress ProgressFor(ClientCredential observer) => audience.Filter(lifecycle.Progress(hub.Rounds), lifecycle.Spec, observer);

    /// <summary>Pushes the progress of the moment to every subscriber, filtered for each (one-way: nothing waits).</summary>
    private void Publish() => subscribers.Publish(ProgressFor);

    /// <summary>Takes <paramref name="span"/> as the session's span (null when nobody listens), tagged with the session.</summary>
    private void BeginSessionSpan(Activity? span)
    {
        sessionSpan = span;
        span?.SetTag(MpcDiagnostics.SessionTag, Session);
        span?.SetTag(MpcDiagnostics.PartiesTag, lifecycle.Spec!.Parties.Length);
    }

    /// <summary>Marks the session failed (the first cause wins) and fails every waiting round so no party hangs.</summary>
    private void Fail(string cause)
    {
        if (!lifecycle.Fail(cause))
        {
            return;
        }
        sessionSpan?.SetStatus(ActivityStatusCode.Error, "session failed");
        sessionSpan?.Stop();
        hub.FailAll($"Session '{Session}' failed: {cause}");
        if (lifecycle.Spec is not null)
        {
            persistence.PersistInBackground();
            RefundInBackground(lifecycle.Spec);
        }
        Publish();
        LogFailed(logger, Session, cause);
    }

    /// <summary>
    /// A failed DP session asks every party to give back its reservation; each party gives back only what it has not
    /// spent (its own worker spends before any DP release leaves it), so a late or false notice cannot undo a spend.
    /// </summary>
    private void RefundInBackground(SessionSpec spec)
    {
        if (spec.Privacy is null)
        {
            return;
        }
        foreach (string party in spec.Parties)
        {
            _ = GrainFactory.GetGrain<Interfaces.Privacy.IPrivacyBudgetGrain>(party).RefundAsync(Session).ContinueWith(
                t => LogRefundFailed(logger, Session, party, t.Exception?.GetBaseException().Message ?? ""),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session}: party {Party} could not be asked to give back its privacy budget reservation: {Error}")]
    private static partial void LogRefundFailed(ILogger logger, string session, string party, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session} completed after {Rounds} rounds")]
    private static partial void LogCompleted(ILogger logger, string session, long rounds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session}'s coordinator read back its state ({State}, last hosted by party {Party}, {Epochs} epochs released)")]
    private static partial void LogRestored(ILogger logger, string session, SessionState state, string party, int epochs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session} was cancelled by {Operator}")]
    private static partial void LogCancelled(ILogger logger, string session, string @operator);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session} failed: {Cause}")]
    private static partial void LogFailed(ILogger logger, string session, string cause);
}
