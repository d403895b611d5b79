using System.Diagnostics;
using SecureCompute.Grains.Interfaces.Rounds;

namespace SecureCompute.Grains.Sessions;

/// <summary>One open (or one part of it) in progress at the coordinator: the parties' messages so far and the task that completes with the sum.</summary>
internal sealed class PendingRound(long index, int parties)
{
    private readonly OpenContribution?[] messages = new OpenContribution?[parties];
    private readonly TaskCompletionSource<OpenContribution> opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int received;

    /// <summary>The round's index.</summary>
    public long Index { get; } = index;

    /// <summary>Completes with the opened value, or fails with the session.</summary>
    public Task<OpenContribution> Opened => opened.Task;

    /// <summary>The parties that have not sent their message yet.</summary>
    public IEnumerable<int> Missing => Enumerable.Range(0, messages.Length).Where(p => messages[p] is null);

    /// <summary>
    /// Adds party <paramref name="party"/>'s message; true when it was the last one. A second message from the same
    /// party is its resend of an open it got no answer to (GrainOpenChannel): the first one counts, the resend waits.
    /// </summary>
    public bool Add(int party, OpenContribution message)
    {
        if (messages[party] is not null)
        {
            return false;
        }
        messages[party] = message;
        return ++received == messages.Length;
    }

    /// <summary>Every party's message, in party order (once all arrived).</summary>
    public IReadOnlyList<OpenContribution> Messages => messages.Select(m => m!).ToArray();

    /// <summary>Completes the round with the opened value.</summary>
    public void Complete(OpenContribution result) => opened.TrySetResult(result);

    /// <summary>Fails the round (the session failed).</summary>
    public void Fail(Exception error) => opened.TrySetException(error);
}

/// <summary>What the coordinator adds up about one round while its parts open: for the round's span and metrics.</summary>
internal sealed class RoundTally(Activity? span, int chunks)
{
    /// <summary>The round's span (null when nobody listens).</summary>
    public Activity? Span { get; } = span;

    /// <summary>How many parts the round was cut into.</summary>
    public int Chunks { get; } = chunks;

    /// <summary>When the round's first message arrived.</summary>
    public long Started { get; } = Stopwatch.GetTimestamp();

    /// <summary>Parts opened so far.</summary>
    public int Done { get; set; }

    /// <summary>Ring elements per party message, over the parts opened so far.</summary>
    public long Elements { get; set; }

    /// <summary>The operation's label.</summary>
    public string Operation { get; set; } = "";
}
