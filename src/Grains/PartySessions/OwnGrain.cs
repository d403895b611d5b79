using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.PartySessions;

/// <summary>
/// A party worker's way to its own party session grain: the worker's checkpoints and result run as work on the grain's own
/// scheduler, not as grain calls.
/// </summary>
/// <remarks>
/// Why not a grain call: the worker runs on the grain's silo, so a call needs no network — yet as a call it is
/// addressed through the grain directory, and after this silo replaced a killed incarnation of itself on the same
/// endpoint the directory can still name the dead one for a while: the call was refused ("silo unavailable") or went
/// unanswered (seen in CI, at the first checkpoint after a resume). Work queued on the activation's scheduler runs one
/// turn at a time with the grain's calls, as an awaited continuation would. The grain stays active while its worker
/// runs (<see cref="PartySessionGrain"/> delays its deactivation), so the queued work always finds it.
/// </remarks>
internal sealed class OwnGrain(TaskScheduler scheduler, Func<CheckpointData, Task> saveCheckpoint, Func<SessionResult, SessionResult?, Task> keepResult,
    Action ended)
{
    /// <summary>Stores a checkpoint (the grain's <see cref="PartySessionGrain.SaveCheckpointAsync"/>) and waits for it.</summary>
    public void SaveCheckpoint(CheckpointData checkpoint) => WorkerWait.For(Run(() => saveCheckpoint(checkpoint)));

    /// <summary>Keeps the party's result (the grain's <see cref="PartySessionGrain.KeepResultAsync"/>) and waits for it.</summary>
    public void KeepResult(SessionResult share, SessionResult? model) => WorkerWait.For(Run(() => keepResult(share, model)));

    /// <summary>Tells the grain its worker has ended (it may deactivate again); does not wait.</summary>
    public void Ended() => _ = Run(() =>
    {
        ended();
        return Task.CompletedTask;
    });

    private Task Run(Func<Task> work) => Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, scheduler).Unwrap();
}
