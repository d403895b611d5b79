namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>How a client runs a session: start it at the coordinator, then follow its progress until it ends.</summary>
/// <remarks>
/// Following is pushed, not polled: the client subscribes an observer (<see cref="ISessionObserver"/>) and waits on what
/// the coordinator sends. Every <see cref="ResubscribeInterval"/> it subscribes again, which renews the subscription well
/// before <see cref="SubscriptionLifetime"/> and answers with the progress of the moment: that slow safety poll makes up
/// for a one-way notification lost on the way and for a coordinator activated again on another silo after its silo was
/// lost (a new activation has no subscribers until then).
/// </remarks>
public static class SessionClient
{
    /// <summary>How long a coordinator keeps pushing to a subscriber that did not subscribe again.</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromSeconds(30);

    /// <summary>How often a following client subscribes again (renewal and safety poll in one call).</summary>
    public static readonly TimeSpan ResubscribeInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one progress call may take before it is asked again. The coordinator answers at once; a call left
    /// unanswered went to a silo that died, and Orleans would only give up on it after the client's response timeout.
    /// </summary>
    public static readonly TimeSpan ProgressCallTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long the coordinator may stay unreachable before the session counts as lost: while a silo that died is
    /// being declared dead, calls routed through its gateway or directory partition can time out and succeed when asked again.
    /// </summary>
    public static readonly TimeSpan UnreachableLimit = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Starts <paramref name="spec"/> and waits for its report, passing each new progress to <paramref name="progress"/>.
    /// </summary>
    /// <exception cref="SessionFailedException">The session failed; the message names the cause.</exception>
    /// <param name="grains">A cluster client (or a silo's grain factory).</param>
    /// <param name="spec">The session.</param>
    /// <param name="progress">Called with each new progress (a new state, released epoch loss or resume).</param>
    /// <param name="cancellationToken">Stops following (the session goes on).</param>
    /// <param name="client">Who this client is and how it proves it (null: anonymous, which only a policy that admits
    /// anyone lets start a session). If it is a recipient of the model — named in the spec, or an operator of a
    /// recipient party — the report it returns carries the model, fetched from the parties (the coordinator never has it).</param>
    public static async Task<SessionReport> RunAsync(IGrainFactory grains, SessionSpec spec, Action<SessionProgress>? progress = null,
        CancellationToken cancellationToken = default, Governance.ClientSigner? client = null)
    {
        var coordinator = grains.GetGrain<ITrainingSessionGrain>(spec.Session);
        client ??= Governance.ClientSigner.Anonymous;
        try
        {
            await coordinator.StartAsync(spec, client.For(Governance.ClientPurpose.Start, spec.Session));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new SessionFailedException(spec.Session, e.Message, e);
        }
        var watcher = new SessionWatcher();
        ISessionObserver observer = grains.CreateObjectReference<ISessionObserver>(watcher);
        SessionProgress end;
        try
        {
            end = await FollowAsync(coordinator, spec, client, watcher, observer, progress, cancellationToken);
        }
        finally
        {
            await UnsubscribeAsync(coordinator, observer);
            grains.DeleteObjectReference<ISessionObserver>(observer);
        }
        return end.State switch
        {
            SessionState.Completed => end.Report! with { Weights = await FetchModelAsync(grains, spec, client) },
            SessionState.Failed => throw new SessionFailedException(spec.Session, end.Error ?? "unknown cause"),
            // A coordinator activated afresh after its silo was lost, with nothing in storage to read back.
            _ => throw new SessionFailedException(spec.Session,
                "its coordinator's silo was lost and the cluster's storage holds no record of the session (memory storage keeps none across a silo's loss)."),
        };
    }

    /// <summary>
    /// Subscribes <paramref name="observer"/> every <see cref="ResubscribeInterval"/> and waits on what is pushed in
    /// between, until the session ends (completed, failed, or unknown to its coordinator); returns that last progress.
    /// </summary>
    private static async Task<SessionProgress> FollowAsync(ITrainingSessionGrain coordinator, SessionSpec spec, Governance.ClientSigner client,
        SessionWatcher watcher, ISessionObserver observer, Action<SessionProgress>? progress, CancellationToken cancellationToken)
    {
        SessionProgress? last = null;
        Governance.ClientCredential credential = client.For(Governance.ClientPurpose.Observe, spec.Session);
        DateTime? unreachableSince = null;
        while (true)
        {
            SessionProgress? now;
            try
            {
                if (DateTimeOffset.UtcNow - credential.IssuedAt > Governance.ClientCredential.MaxAge / 2)
                {
                    credential = client.For(Governance.ClientPurpose.Observe, spec.Session);
                }
                now = await coordinator.SubscribeAsync(observer, credential).WaitAsync(ProgressCallTimeout, cancellationToken);
                unreachableSince = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                unreachableSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - unreachableSince > UnreachableLimit)
                {
                    throw new SessionFailedException(spec.Session, $"its coordinator could not be reached for {UnreachableLimit.TotalSeconds:F0} s ({e.GetType().Name}: {e.Message.Split('.')[0]}).", e);
                }
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }
            DateTime resubscribe = DateTime.UtcNow + ResubscribeInterval;
            do
            {
                if (IsStale(now, last))
                {
                    continue;
                }
                if (last is null || now.EpochLoss.Length != last.EpochLoss.Length || now.EpochsDone != last.EpochsDone || now.State != last.State || now.Resumes != last.Resumes)
                {
                    progress?.Invoke(now);
                }
                last = now;
                if (now.State is SessionState.Completed or SessionState.Failed or SessionState.None)
                {
                    return now;
                }
            }
            while ((now = await watcher.NextAsync(resubscribe - DateTime.UtcNow, cancellationToken)) is not null);
        }
    }

    /// <summary>
    /// Whether <paramref name="now"/> is older than <paramref name="last"/>: a push and a subscription's answer can arrive
    /// in either order. An end is never stale; otherwise fewer resumes are, or as many with fewer released losses or an
    /// earlier state.
    /// </summary>
    private static bool IsStale(SessionProgress now, SessionProgress? last) =>
        last is not null && now.State is not (SessionState.Completed or SessionState.Failed or SessionState.None)
        && (now.Resumes < last.Resumes || now.Resumes == last.Resumes && (now.EpochLoss.Length < last.EpochLoss.Length || now.EpochsDone < last.EpochsDone || now.State < last.State));

    /// <summary>Ends the subscription; one that cannot be ended (the coordinator is unreachable) ends by itself after <see cref="SubscriptionLifetime"/>.</summary>
    private static async Task UnsubscribeAsync(ITrainingSessionGrain coordinator, ISessionObserver observer)
    {
        try
        {
            await coordinator.UnsubscribeAsync(observer).WaitAsync(ProgressCallTimeout);
        }
        catch (Exception)
        {
            // Nothing to report: the session's outcome (or the caller's own exception) is what the caller waits for, and the
            // coordinator drops this subscription when it expires.
        }
    }

    /// <summary>
    /// The model of a completed session as <paramref name="client"/> may receive it: summed from every party's share
    /// when it is a client recipient, from its own party when it is an operator of a recipient party; empty otherwise.
    /// </summary>
    public static async Task<double[]> FetchModelAsync(IGrainFactory grains, SessionSpec spec, Governance.ClientSigner client)
    {
        Governance.OperatorIdentity? who = client.Identity;
        try
        {
            if (SessionRecipients.IsClientRecipient(spec, who))
            {
                SessionResult[] shares = await Task.WhenAll(spec.Parties.Select(p =>
                    grains.GetGrain<IPartyGrain>(p).FetchResultAsync(spec.Session, client.For(Governance.ClientPurpose.FetchResult, spec.Session))));
                return Sum(shares);
            }
            if (who is not null && SessionRecipients.Parties(spec).Any(i => spec.Parties[i] == who.Party))
            {
                SessionResult mine = await grains.GetGrain<IPartyGrain>(who.Party).FetchResultAsync(spec.Session,
                    client.For(Governance.ClientPurpose.FetchResult, spec.Session));
                return mine.Weights ?? throw new InvalidOperationException($"party '{who.Party}' answered without the model.");
            }
        }
        catch (Exception e) when (e is not SessionFailedException)
        {
            throw new SessionFailedException(spec.Session, $"the model could not be fetched: {e.Message}", e);
        }
        return Array.Empty<double>();
    }

    /// <summary>Every party's share summed mod 2^64 and decoded (fixed point): what no single party holds.</summary>
    private static double[] Sum(IReadOnlyList<SessionResult> shares)
    {
        long[][] values = shares.Select(s => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(s.Share!.Data).ToArray()).ToArray();
        int bits = shares[0].FractionalBits;
        if (values.Any(v => v.Length != values[0].Length) || shares.Any(s => s.FractionalBits != bits))
        {
            throw new InvalidOperationException("the parties' shares of the model do not fit together.");
        }
        double scale = Math.Pow(2, bits);
        return Enumerable.Range(0, values[0].Length).Select(i => unchecked(values.Aggregate(0L, (sum, v) => sum + v[i])) / scale).ToArray();
    }
}

/// <summary>A session failed; <see cref="Exception.Message"/> names the cause (party, file, round), never a value.</summary>
public sealed class SessionFailedException(string session, string cause, Exception? inner = null)
    : Exception($"session '{session}' failed: {cause}", inner)
{
    /// <summary>The session.</summary>
    public string Session { get; } = session;

    /// <summary>The cause as the coordinator reported it.</summary>
    public string Cause { get; } = cause;
}
