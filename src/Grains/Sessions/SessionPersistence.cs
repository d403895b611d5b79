using Microsoft.Extensions.Logging;

namespace SecureCompute.Grains.Sessions;

/// <summary>
/// Keeps where a session stands (<see cref="CoordinatorSnapshot"/>) in the coordinator's storage, one write after
/// another: the coordinator is reentrant, so a write may be asked for while the previous one is still in flight.
/// </summary>
/// <remarks>
/// Each write takes its snapshot only once the previous write is done, so the last write in the chain always carries
/// the newest state, whatever order the writes were asked for in.
/// </remarks>
/// <param name="stored">The coordinator's storage record.</param>
/// <param name="snapshot">Where the session stands at the moment it is called.</param>
/// <param name="logger">The coordinator's logger, for a write nobody waits for that failed.</param>
/// <param name="session">The session, for the log.</param>
internal sealed partial class SessionPersistence(IPersistentState<CoordinatorState> stored, Func<CoordinatorSnapshot> snapshot, ILogger logger, string session)
{
    private Task persisting = Task.CompletedTask;

    /// <summary>What the storage held when the coordinator activated, or null before the session trained.</summary>
    public CoordinatorSnapshot? Stored => stored.State.Snapshot is { } bytes ? CoordinatorSnapshot.FromBytes(bytes) : null;

    /// <summary>Writes where the session stands, after any write still in flight (the grain is reentrant).</summary>
    public Task PersistAsync()
    {
        persisting = WriteAfterAsync(persisting);
        return persisting;
    }

    /// <summary>Persists without waiting (the end of a session); a failed write is logged.</summary>
    public void PersistInBackground() =>
        _ = PersistAsync().ContinueWith(t => LogNotStored(logger, session, t.Exception!.GetBaseException().GetType().Name),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Current);

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
        stored.State.Snapshot = snapshot().ToBytes();
        await stored.WriteStateAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {Session}'s coordinator could not store its state ({Error})")]
    private static partial void LogNotStored(ILogger logger, string session, string error);
}
