using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.PartySessions;

/// <summary>
/// A party worker's appends to its party's audit trail, in order and off the protocol's critical path: each append
/// starts after the previous one finished, and the worker waits for all of them (<see cref="Drain"/>) before it
/// reports the session finished — so no session completes with a release missing from a trail.
/// </summary>
internal sealed class AuditQueue(IAuditLogGrain trail)
{
    private readonly object gate = new();
    private Task tail = Task.CompletedTask;
    private Exception? failure;

    /// <summary>Queues <paramref name="record"/> behind every earlier one.</summary>
    public void Append(AuditRecord record)
    {
        lock (gate)
        {
            tail = AppendAfterAsync(tail, record);
        }
    }

    /// <summary>Waits for every queued append; throws if one failed (naming none of its values).</summary>
    public void Drain()
    {
        Task last;
        lock (gate)
        {
            last = tail;
        }
        WorkerWait.For(last);
        if (failure is { } e)
        {
            throw new InvalidOperationException($"its audit trail did not record every release ({e.GetType().Name}).", e);
        }
    }

    private async Task AppendAfterAsync(Task previous, AuditRecord record)
    {
        await previous;
        try
        {
            await Placement.SiloLossRetry.RunAsync(() => trail.AppendAsync(record));
        }
        catch (Exception e)
        {
            failure ??= e;
        }
    }
}
