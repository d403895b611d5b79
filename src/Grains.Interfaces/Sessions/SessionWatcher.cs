using System.Threading.Channels;

namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>
/// What <see cref="SessionClient.RunAsync"/> subscribes at the coordinator: it queues each progress the coordinator
/// pushes, in arrival order, for the one loop that follows the session.
/// </summary>
internal sealed class SessionWatcher : ISessionObserver
{
    private readonly Channel<SessionProgress> updates = Channel.CreateUnbounded<SessionProgress>(new UnboundedChannelOptions { SingleReader = true });

    /// <inheritdoc />
    public void Progressed(SessionProgress progress) => updates.Writer.TryWrite(progress);

    /// <summary>The next pushed progress, or null if none came within <paramref name="wait"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<SessionProgress?> NextAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (updates.Reader.TryRead(out SessionProgress? ready))
        {
            return ready;
        }
        if (wait <= TimeSpan.Zero)
        {
            return null;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            return await updates.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;   // the wait is over: the caller asks the coordinator itself
        }
    }
}
