using Orleans.Concurrency;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureCompute.Grains.Data;
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
/// Steps of <see cref="StartAsync"/>:
/// 1. Check the spec; ask every party grain (on its own silo) for its schema; check the schemas agree.
/// 2. Send every party's tensor grain the plan (spec + schemas, all public).
/// 3. The dealer sends each tensor grain its material seed; each party sends every later party a pairwise seed. Both
///    go grain to grain: no seed passes through here.
/// 4. Start every party's program. From then on this grain only combines opens and records progress.
/// Reentrant: the parties' open calls for a round wait here together.
/// Where the session stands (<see cref="CoordinatorSnapshot"/>, nothing secret) is kept in storage at each released
/// epoch loss, each resume and at the end; if this grain's silo is lost, the next call activates it on another party
/// silo, which reads it back and resumes the session like after any party's loss (<see cref="OnActivateAsync"/>).
/// Every change a client may follow — a state, a released epoch loss, a resume, the end — is pushed to the session's
/// subscribers (<see cref="ProgressSubscribers"/>) as it happens.
/// </remarks>
[Reentrant]
[CoordinatorPlacement]
public sealed partial class TrainingSessionGrain(IGrainFactory grains, PartyDirectory directory, SiloIdentity silo, IOptions<SessionOptions> limits, IServiceProvider services,
    Governance.ClientIdentities clients,
    [PersistentState("session")] IPersistentState<CoordinatorState> stored, ILogger<TrainingSessionGrain> logger)
    : Grain, ITrainingSessionGrain, Authorization.ISessionMembership
{
    /// <summary>How often a waiting round checks that the parties it waits for still have a silo.</summary>
    private static readonly TimeSpan LivenessCheck = TimeSpan.FromSeconds(1);

    private readonly Dictionary<int, SiloAddress[]> partySilos = new();

    private readonly Dictionary<(long Round, int Chunk), PendingRound> pending = new();
    private readonly RecentOpens recent = new();
    private readonly Dictionary<long, RoundTally> tallies = new();
    private readonly List<double> epochLoss = new();
    private readonly ICoordinatorTap? tap = services.GetService<ICoordinatorTap>();
    private SessionSpec? spec;
    private SessionState state;
    private string? error;
    private SessionReport? report;
    private Activity? sessionSpan;
    private bool[] finished = Array.Empty<bool>();
    private long rounds;
    private long dealerBytes;
    private int attempt;
    private int resumes;
    private bool resuming;
    private Task persisting = Task.CompletedTask;
    private readonly Dictionary<string, TaskCompletionSource<string?>> approvals = new();
    private OperatorIdentity? starterIdentity;
    private readonly Dictionary<string, OperatorIdentity?> observers = new();
    private readonly ProgressSubscribers subscribers = new(logger);

    private string Session => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public IReadOnlyList<string>? SessionParties => spec?.Parties;

    /// <summary>
    /// Reads back where the session stood. A session that was training when its coordinator's last activation ended —
    /// its silo was lost, most likely together with that silo's party — resumes as a new attempt: waits for every
    /// party to have a silo, then restarts all of them from the newest checkpoint they all hold.
    /// </summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (stored.State.Snapshot is not { } bytes)
        {
            return Task.CompletedTask;
        }
        CoordinatorSnapshot snapshot = CoordinatorSnapshot.FromBytes(bytes);
        spec = snapshot.Spec;
        state = snapshot.State;
        attempt = snapshot.Attempt;
        resumes = snapshot.Resumes;
        epochLoss.AddRange(snapshot.EpochLoss);
        rounds = snapshot.Rounds;
        error = snapshot.Error;
        report = snapshot.Report;
        finished = new bool[spec.Parties.Length];
        LogRestored(logger, Session, state, snapshot.HostParty ?? "?", epochLoss.Count);
        if (state == SessionState.Training)
        {
            sessionSpan = MpcDiagnostics.ActivitySource.StartActivity(MpcDiagnostics.SessionSpan, ActivityKind.Internal, default(ActivityContext));
            sessionSpan?.SetTag(MpcDiagnostics.SessionTag, Session);
            sessionSpan?.SetTag(MpcDiagnostics.PartiesTag, spec.Parties.Length);
            resuming = true;
            // Runs synchronously up to its first wait: the attempt is superseded before any call reaches this activation.
            _ = ResumeAsync($"its coordinator's silo (party '{snapshot.HostParty}') was lost", -1);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StartAsync(SessionSpec spec, ClientCredential starter)
    {
        if (state != SessionState.None)
        {
            throw new InvalidOperationException($"Session '{Session}' was already started.");
        }
        if (spec.Session != Session)
        {
            throw new ArgumentException($"A spec for session '{spec.Session}' was sent to the coordinator of '{Session}'.", nameof(spec));
        }
        IReadOnlyList<string> problems = SessionSpecs.Validate(spec);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Session '{Session}': {string.Join(" ", problems)}");
        }
        this.spec = spec;
        state = SessionState.Preparing;
        finished = new bool[spec.Parties.Length];
        sessionSpan = MpcDiagnostics.ActivitySource.StartActivity(MpcDiagnostics.SessionSpan);
        sessionSpan?.SetTag(MpcDiagnostics.SessionTag, Session);
        sessionSpan?.SetTag(MpcDiagnostics.PartiesTag, spec.Parties.Length);
        starterIdentity = clients.Verify(starter, ClientPurpose.Start, spec.Session);
        Publish();
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
            RequireAdmitted(answers);
            string[] waiting = spec.Parties.Where((_, i) => answers[i].Verdict == AdmissionVerdict.Pending).ToArray();
            if (waiting.Length == 0)
            {
                await PrepareAndStartAsync();
                return;
            }
            // Manual approval: the client's call returns now; the session goes on once every such party's operator approved.
            state = SessionState.AwaitingApproval;
            foreach (string party in waiting)
            {
                approvals[party] = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            TimeSpan longest = answers.Max(a => a.ApprovalTimeout) + limits.Value.PrepareTimeout;
            Publish();
            LogAwaiting(logger, Session, string.Join(", ", waiting));
            _ = AfterApprovalAsync(longest);
        }
        catch (Exception e)
        {
            Fail(e.Message);
            throw;
        }
    }

    /// <summary>Waits for every pending party's decision (each party times out by its own policy), then prepares and starts.</summary>
    private async Task AfterApprovalAsync(TimeSpan limit)
    {
        try
        {
            string?[] rejections = await Task.WhenAll(approvals.Values.Select(a => a.Task)).WaitAsync(limit);
            string[] refused = rejections.OfType<string>().ToArray();
            if (refused.Length > 0)
            {
                throw new InvalidOperationException(string.Join("; ", refused));
            }
            if (state == SessionState.AwaitingApproval)
            {
                await PrepareAndStartAsync();
            }
        }
        catch (Exception e)
        {
            Fail(e is TimeoutException ? $"no decision from {string.Join(", ", approvals.Where(a => !a.Value.Task.IsCompleted).Select(a => $"party '{a.Key}'"))} within {limit.TotalSeconds:F0} s." : e.Message);
        }
    }

    /// <summary>Refusals name each refusing party and its rules (never a value).</summary>
    private void RequireAdmitted(IReadOnlyList<AdmissionAnswer> answers)
    {
        string[] refusals = answers.Select((a, i) => (a, i)).Where(x => x.a.Verdict == AdmissionVerdict.Refused)
            .Select(x => $"refused by party '{spec!.Parties[x.i]}': {string.Join(" ", x.a.Reasons).TrimEnd('.')}").ToArray();
        if (refusals.Length > 0)
        {
            throw new InvalidOperationException(string.Join("; ", refusals));
        }
    }

    /// <summary>Steps 1–4 once every party admitted the session: schemas (the parties read their rows), the row rule, plan, seeds, start.</summary>
    private async Task PrepareAndStartAsync()
    {
        SessionSpec spec = this.spec!;
        if (state != SessionState.Preparing)
        {
            state = SessionState.Preparing;
            Publish();
        }
        PartySchemaInfo[] schemas = await Task.WhenAll(spec.Parties.Select(p => grains.GetGrain<IPartyGrain>(p).DescribeAsync(spec.Session)))
            .WaitAsync(limits.Value.PrepareTimeout);
        foreach (var (schema, i) in schemas.Select((s, i) => (s, i)))
        {
            tap?.Received(Session, i, schema);
        }
        PartySchemas.RequireSame(schemas.Select(SessionSpecs.ToSchema).ToArray());
        long rows = schemas.Sum(s => (long)s.Rows);
        RequireAdmitted(await Task.WhenAll(spec.Parties.Select(p => grains.GetGrain<IPartyGrain>(p).ConfirmRowsAsync(spec.Session, rows)))
            .WaitAsync(limits.Value.PrepareTimeout));
        var plan = new SessionPlan(spec, schemas);
        ITensorGrain[] tensors = spec.Parties.Select(p => grains.GetGrain<ITensorGrain>(TensorKey.Of(Session, p))).ToArray();
        await Task.WhenAll(tensors.Select(t => t.PrepareAsync(plan)));
        await grains.GetGrain<IDealerGrain>(Session).BeginAsync(plan);
        await Task.WhenAll(tensors.Select(t => t.SendPairwiseSeedsAsync()));
        if (state != SessionState.Preparing)
        {
            await DiscardEverywhereAsync();   // cancelled meanwhile: a party or the dealer may have taken seeds after the cancel's discard
            return;
        }
        state = SessionState.Training;
        Publish();
        await PersistAsync();
        RecordPartySilos();
        await Task.WhenAll(tensors.Select(t => t.StartAsync()));
        LogStarted(logger, Session, spec.Parties.Length);
    }

    /// <inheritdoc />
    public Task PartyDecidedAsync(string party, bool approved, string reason)
    {
        if (!approvals.TryGetValue(party, out TaskCompletionSource<string?>? decision))
        {
            throw new InvalidOperationException($"Session '{Session}' awaits no decision of party '{party}'.");
        }
        decision.TrySetResult(approved ? null : $"refused by party '{party}': {reason}");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task CancelAsync(ClientCredential credential)
    {
        OperatorIdentity? who = clients.Verify(credential, ClientPurpose.Cancel, Session);
        if (spec is null || who is null || !(who == starterIdentity || spec.Parties.Contains(who.Party)))
        {
            throw new UnauthorizedAccessException($"Session '{Session}' may be cancelled only by its starter or an operator of one of its parties.");
        }
        if (state == SessionState.Completed)
        {
            return;   // nothing left to stop; the recipients' results stay with the parties
        }
        bool planSent = state is SessionState.Preparing or SessionState.Training or SessionState.Failed;
        Fail($"cancelled by {who}.");
        LogCancelled(logger, Session, who.ToString());
        if (planSent)
        {
            await DiscardEverywhereAsync();
        }
    }

    /// <summary>
    /// After a cancel: every party's tensor grain and the dealer drop what they hold of the session, in memory and in
    /// storage (DESIGN §10: no share left behind), and take nothing more for it. The parties' workers stop at their next
    /// open, which <see cref="Fail"/> made fail. Idempotent: a cancel of a failed session clears what it left.
    /// </summary>
    private async Task DiscardEverywhereAsync()
    {
        SessionSpec spec = this.spec!;
        await Task.WhenAll(spec.Parties.Select(p => grains.GetGrain<ITensorGrain>(TensorKey.Of(Session, p)).DiscardAsync())
            .Append(grains.GetGrain<IDealerGrain>(Session).DiscardAsync())).WaitAsync(limits.Value.PrepareTimeout);
    }

    /// <inheritdoc />
    public async Task<OpenContribution> OpenAsync(int party, OpenContribution message)
    {
        tap?.Received(Session, party, message);
        RequireTraining(party);
        if (message.Attempt != attempt)
        {
            throw new InvalidOperationException($"Session '{Session}' is at attempt {attempt}; attempt {message.Attempt} is superseded.");
        }
        if (message.Chunks < 1 || message.Chunk < 0 || message.Chunk >= message.Chunks)
        {
            throw new ArgumentException($"Round {message.Round}: part {message.Chunk} of {message.Chunks} does not exist.", nameof(message));
        }
        if (recent.Find(message.Round, message.Chunk) is { } answered)
        {
            return answered;   // a party's resend of an open already answered (GrainOpenChannel resends an unanswered open)
        }
        if (!tallies.ContainsKey(message.Round))
        {
            Activity? previous = Activity.Current;
            Activity? span = MpcDiagnostics.ActivitySource.StartActivity(MpcDiagnostics.RoundSpan, ActivityKind.Internal,
                sessionSpan?.Context ?? default);
            Activity.Current = previous;
            tallies[message.Round] = new RoundTally(span, message.Chunks);
        }
        var key = (message.Round, message.Chunk);
        if (!pending.TryGetValue(key, out PendingRound? round))
        {
            round = new PendingRound(message.Round, spec!.Parties.Length);
            pending[key] = round;
        }
        if (round.Add(party, message))
        {
            pending.Remove(key);
            Open(round);
        }
        DateTime deadline = DateTime.UtcNow + limits.Value.RoundTimeout;
        while (true)
        {
            try
            {
                return await round.Opened.WaitAsync(LivenessCheck);
            }
            catch (TimeoutException)
            {
                if (state == SessionState.Failed)
                {
                    throw new InvalidOperationException($"Session '{Session}' has failed: {error}");
                }
                if (!resuming && LostParty() is { } lost)
                {
                    resuming = true;
                    _ = ResumeAsync($"the silo of party '{spec!.Parties[lost]}' left the cluster", round.Index);
                    continue;
                }
                if (DateTime.UtcNow > deadline)
                {
                    string missing = string.Join(", ", round.Missing.Select(p => $"'{spec!.Parties[p]}'"));
                    Fail($"round {round.Index}: no message from party {missing} within {limits.Value.RoundTimeout.TotalSeconds:F0} s.");
                    throw new TimeoutException(error);
                }
            }
        }
    }

    /// <summary>A party one of whose silos (as recorded when its program started) has left the cluster, if any.</summary>
    private int? LostParty()
    {
        foreach (var (party, silos) in partySilos)
        {
            SiloAddress[] active = directory.SilosOf(spec!.Parties[party]);
            if (silos.Any(s => !active.Contains(s)))
            {
                return party;
            }
        }
        return null;
    }

    private void RecordPartySilos()
    {
        for (int p = 0; p < spec!.Parties.Length; p++)
        {
            partySilos[p] = directory.SilosOf(spec.Parties[p]);
        }
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
    /// <param name="cause">What was lost, for the log and the error (no value in it).</param>
    /// <param name="roundIndex">The round that noticed, or −1.</param>
    private async Task ResumeAsync(string cause, long roundIndex)
    {
        var clock = Stopwatch.StartNew();
        attempt++;
        foreach (PendingRound round in pending.Values)
        {
            round.Fail(new InvalidOperationException($"Session '{Session}' is resuming: {cause}."));
        }
        foreach (RoundTally tally in tallies.Values)
        {
            tally.Span?.Stop();
        }
        pending.Clear();
        tallies.Clear();
        recent.Clear();
        LogLost(logger, Session, cause, roundIndex);
        try
        {
            await PersistAsync();
            string[] missing;
            while ((missing = spec!.Parties.Where(p => directory.SilosOf(p).Length == 0).ToArray()).Length > 0)
            {
                if (clock.Elapsed > limits.Value.PartyLossGrace)
                {
                    resuming = false;
                    string names = string.Join(", ", missing.Select(p => $"party '{p}'"));
                    Fail($"{cause}, and no silo of {names} was back within {limits.Value.PartyLossGrace.TotalSeconds:F0} s{(roundIndex >= 0 ? $" (round {roundIndex})" : "")}.");
                    return;
                }
                await Task.Delay(200);
            }
            if (state != SessionState.Training)
            {
                resuming = false;
                return;   // cancelled (or failed) while waiting: nothing to resume
            }
            ITensorGrain[] tensors = spec.Parties.Select(p => grains.GetGrain<ITensorGrain>(TensorKey.Of(Session, p))).ToArray();
            TimeSpan limit = limits.Value.PrepareTimeout + limits.Value.JoinTimeout;
            int[][] held = await Task.WhenAll(tensors.Select(t => SiloLossRetry.RunAsync(t.GetCheckpointEpochsAsync))).WaitAsync(limit);
            int from = held.Skip(1).Aggregate((IEnumerable<int>)held[0], (common, h) => common.Intersect(h)).DefaultIfEmpty(0).Max();
            if (epochLoss.Count > from)
            {
                epochLoss.RemoveRange(from, epochLoss.Count - from);
            }
            if (state != SessionState.Training)
            {
                resuming = false;
                return;
            }
            Array.Clear(finished);
            report = null;
            dealerBytes = 0;
            int next = attempt;
            await Task.WhenAll(tensors.Select(t => SiloLossRetry.RunAsync(() => t.ResumeAsync(next, from)))).WaitAsync(limit);
            RecordPartySilos();
            resumes++;
            resuming = false;
            Publish();
            await PersistAsync();
            LogResumed(logger, Session, from, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e)
        {
            resuming = false;
            Fail($"{cause}, and the session could not resume: {e.Message}");
        }
    }

    /// <summary>Writes where the session stands, after any write still in flight (the grain is reentrant).</summary>
    private Task PersistAsync()
    {
        persisting = WriteAfterAsync(persisting);
        return persisting;
    }

    private async Task WriteAfterAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch (Exception)
        {
            // Reported to whoever awaited it; this write carries the newer state anyway.
        }
        stored.State.Snapshot = new CoordinatorSnapshot(spec!, state, attempt, resumes, epochLoss.ToArray(), rounds, silo.Party, error, report).ToBytes();
        await stored.WriteStateAsync();
    }

    /// <summary>Persists without waiting (the end of a session); a failed write is logged.</summary>
    private void PersistInBackground() =>
        _ = PersistAsync().ContinueWith(t => LogNotStored(logger, Session, t.Exception!.GetBaseException().GetType().Name),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Current);

    /// <inheritdoc />
    /// <remarks>
    /// Stored before it returns: party 0 checkpoints an epoch only after this, so a coordinator read back after a loss
    /// has every loss up to any epoch a resume can start from.
    /// </remarks>
    public async Task EpochDoneAsync(int attempt, int epoch, double loss)
    {
        tap?.Received(Session, 0, loss);
        if (epoch < 1 || epoch > (spec?.Epochs ?? 0) || !double.IsFinite(loss))
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), $"Session '{Session}': an epoch loss needs an epoch in 1..{spec?.Epochs ?? 0} and a finite value.");
        }
        if (attempt == this.attempt && epoch == epochLoss.Count + 1)
        {
            epochLoss.Add(loss);
            await PersistAsync();
            Publish();
        }
    }

    /// <inheritdoc />
    public Task PartyFinishedAsync(int party, int attempt, SessionReport? report, long dealerBytes)
    {
        RequireParty(party);
        if (dealerBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dealerBytes), "Dealer bytes cannot be negative.");
        }
        if (attempt != this.attempt)
        {
            return Task.CompletedTask;
        }
        this.dealerBytes += dealerBytes;
        if (report is not null)
        {
            tap?.Received(Session, party, report);
            this.report = report;
        }
        finished[party] = true;
        if (finished.All(f => f) && state == SessionState.Training)
        {
            state = this.report is null ? SessionState.Failed : SessionState.Completed;
            this.report = this.report is null ? null : this.report with { DealerBytes = this.dealerBytes };
            error = state == SessionState.Failed ? "party 0 finished without a report." : null;
            sessionSpan?.SetTag(MpcDiagnostics.RoundIndexTag, rounds);
            sessionSpan?.Stop();
            PersistInBackground();
            Publish();
            LogCompleted(logger, Session, rounds);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PartyFailedAsync(int party, int attempt, string error)
    {
        tap?.Received(Session, party, error);
        RequireParty(party);
        if (attempt == this.attempt && !resuming)
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
    private SessionProgress ProgressFor(ClientCredential observer)
    {
        var progress = new SessionProgress(state, spec?.Epochs ?? 0, epochLoss.ToArray(), rounds, error, report, resumes);
        if (MaySeeReleases(observer))
        {
            return progress;
        }
        // Not a recipient of the losses and statistics: state, counts and costs only.
        return progress with
        {
            EpochLoss = Array.Empty<double>(),
            Report = report is null ? null : report with { EpochLoss = Array.Empty<double>(), Means = Array.Empty<double>(), StandardDeviations = Array.Empty<double>() },
        };
    }

    /// <summary>Pushes the progress of the moment to every subscriber, filtered for each (one-way: nothing waits).</summary>
    private void Publish() => subscribers.Publish(ProgressFor);

    /// <summary>
    /// Whether <paramref name="observer"/> is the starter or an operator of a session party (verified once per credential:
    /// a client polls with the same one for minutes). An anonymous starter — admitted only by policies that admit
    /// anyone — makes every anonymous observer its equal.
    /// </summary>
    private bool MaySeeReleases(ClientCredential observer)
    {
        if (spec is null)
        {
            return false;
        }
        string key = $"{observer.Declared}|{observer.IssuedAt:O}|{Convert.ToBase64String(observer.Signature)}";
        if (!observers.TryGetValue(key, out OperatorIdentity? who))
        {
            if (observers.Count > 64)
            {
                observers.Clear();
            }
            who = clients.Verify(observer, ClientPurpose.Observe, Session);
            observers[key] = who;
        }
        return who == starterIdentity || who is not null && spec.Parties.Contains(who.Party);
    }

    private void RequireParty(int party)
    {
        if (spec is null || party < 0 || party >= spec.Parties.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(party), party, $"Session '{Session}' has no party {party}.");
        }
    }

    private void RequireTraining(int party)
    {
        if (state == SessionState.Failed)
        {
            throw new InvalidOperationException($"Session '{Session}' has failed: {error}");
        }
        if (state != SessionState.Training || party < 0 || party >= spec!.Parties.Length)
        {
            throw new InvalidOperationException($"Session '{Session}' takes no open from party {party} now ({state}).");
        }
    }

    /// <summary>Sums the messages of one round (or one part of it) and answers every party; once every part of the
    /// round is open, records the round's span and metrics.</summary>
    private void Open(PendingRound round)
    {
        IReadOnlyList<OpenContribution> messages = round.Messages;
        try
        {
            OpenContribution opened = OpenCombiner.Combine(messages);
            recent.Add(round.Index, messages[0].Chunk, opened);
            RoundTally tally = tallies[round.Index];
            tally.Elements += messages[0].ElementCount;
            tally.Operation = messages[0].Operation;
            if (++tally.Done == tally.Chunks)
            {
                tallies.Remove(round.Index);
                Record(round.Index, tally, messages.Count);
            }
            round.Complete(opened);
        }
        catch (Exception e)
        {
            Fail(e.Message);
            round.Fail(new InvalidOperationException(error));
        }
    }

    private void Record(long index, RoundTally tally, int parties)
    {
        long bytes = parties * 2 * tally.Elements * sizeof(long);
        rounds++;
        Activity? span = tally.Span;
        span?.SetTag(MpcDiagnostics.SessionTag, Session);
        span?.SetTag(MpcDiagnostics.RoundIndexTag, index);
        span?.SetTag(MpcDiagnostics.OperationTag, tally.Operation);
        span?.SetTag(MpcDiagnostics.ElementsTag, tally.Elements);
        span?.SetTag(MpcDiagnostics.BytesTag, bytes);
        span?.SetTag(MpcDiagnostics.PartiesTag, parties);
        span?.Stop();
        var tags = new TagList { { MpcDiagnostics.SessionTag, Session }, { MpcDiagnostics.OperationTag, tally.Operation } };
        MpcDiagnostics.Rounds.Add(1, tags);
        MpcDiagnostics.BytesOpened.Add(bytes, tags);
        MpcDiagnostics.RoundDuration.Record(Stopwatch.GetElapsedTime(tally.Started).TotalMilliseconds, new TagList { { MpcDiagnostics.SessionTag, Session } });
    }

    /// <summary>Marks the session failed (the first cause wins) and fails every waiting round so no party hangs.</summary>
    private void Fail(string cause)
    {
        if (state is SessionState.Failed or SessionState.Completed)
        {
            return;
        }
        state = SessionState.Failed;
        error = cause;
        sessionSpan?.SetStatus(ActivityStatusCode.Error, "session failed");
        sessionSpan?.Stop();
        foreach (PendingRound round in pending.Values)
        {
            round.Fail(new InvalidOperationException($"Session '{Session}' failed: {cause}"));
        }
        foreach (RoundTally tally in tallies.Values)
        {
            tally.Span?.Stop();
        }
        pending.Clear();
        tallies.Clear();
        recent.Clear();
        if (spec is not null)
        {
            PersistInBackground();
        }
        Publish();
        LogFailed(logger, Session, cause);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session} started with {Parties} parties")]
    private static partial void LogStarted(ILogger logger, string session, int parties);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session} awaits the approval of {Parties}")]
    private static partial void LogAwaiting(ILogger logger, string session, string parties);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session} completed after {Rounds} rounds")]
    private static partial void LogCompleted(ILogger logger, string session, long rounds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session}: {Cause} (round {Round}); waiting for every party to have a silo")]
    private static partial void LogLost(ILogger logger, string session, string cause, long round);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session} resumed from epoch {Epochs}, {Seconds:F1} s after noticing")]
    private static partial void LogResumed(ILogger logger, string session, int epochs, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session}'s coordinator read back its state ({State}, last hosted by party {Party}, {Epochs} epochs released)")]
    private static partial void LogRestored(ILogger logger, string session, SessionState state, string party, int epochs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {Session}'s coordinator could not store its state ({Error})")]
    private static partial void LogNotStored(ILogger logger, string session, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session} was cancelled by {Operator}")]
    private static partial void LogCancelled(ILogger logger, string session, string @operator);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session} failed: {Cause}")]
    private static partial void LogFailed(ILogger logger, string session, string cause);
}
