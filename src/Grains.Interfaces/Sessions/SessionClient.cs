namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>How a client runs a session: start it at the coordinator, then follow its progress until it ends.</summary>
public static class SessionClient
{
    /// <summary>How often progress is polled.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

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
    /// <param name="progress">Called with each new progress.</param>
    /// <param name="cancellationToken">Stops following (the session goes on).</param>
    /// <param name="credentials">Makes this client's credential for a purpose and subject (signed with its certificate
    /// under TLS); null: an anonymous client, which only a policy that admits anyone lets start a session.</param>
    public static async Task<SessionReport> RunAsync(IGrainFactory grains, SessionSpec spec, Action<SessionProgress>? progress = null,
        CancellationToken cancellationToken = default, Func<Governance.ClientPurpose, string, Governance.ClientCredential>? credentials = null)
    {
        var coordinator = grains.GetGrain<ITrainingSessionGrain>(spec.Session);
        credentials ??= (purpose, subject) => Governance.ClientCredential.Declaring(purpose, subject, null);
        try
        {
            await coordinator.StartAsync(spec, credentials(Governance.ClientPurpose.Start, spec.Session));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new SessionFailedException(spec.Session, e.Message, e);
        }
        SessionProgress? last = null;
        DateTime? unreachableSince = null;
        while (true)
        {
            SessionProgress now;
            try
            {
                now = await coordinator.GetProgressAsync().WaitAsync(ProgressCallTimeout, cancellationToken);
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
            if (last is null || now.EpochLoss.Length != last.EpochLoss.Length || now.State != last.State)
            {
                progress?.Invoke(now);
            }
            last = now;
            switch (now.State)
            {
                case SessionState.Completed:
                    return now.Report!;
                case SessionState.Failed:
                    throw new SessionFailedException(spec.Session, now.Error ?? "unknown cause");
                case SessionState.None:
                    // A coordinator activated afresh after its silo was lost, with nothing in storage to read back.
                    throw new SessionFailedException(spec.Session,
                        "its coordinator's silo was lost and the cluster's storage holds no record of the session (memory storage keeps none across a silo's loss).");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
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
