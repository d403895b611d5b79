using System.Diagnostics;
using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Mpc.Diagnostics;

namespace SecureCompute.Grains.Sessions;

/// <summary>
/// The hub of a session's opens (DESIGN §5): the rounds waiting for their parties, keyed by round and part; the last
/// opened values, for a party's late copy of an open; and each round's tally for its span and metrics.
/// </summary>
/// <remarks>
/// Runs on the coordinator's turns, one at a time: a party's message is added, and the last one opens the round,
/// within one turn. A failure to combine fails the session through <paramref name="fail"/>, which in turn fails every
/// waiting round here (<see cref="FailAll"/>).
/// </remarks>
/// <param name="session">The session, for the spans' and metrics' tags.</param>
/// <param name="fail">Fails the session with a cause (the first cause wins) and returns the session's error.</param>
internal sealed class RoundHub(string session, Func<string, string?> fail)
{
    private readonly Dictionary<(long Round, int Chunk), PendingRound> pending = new();
    private readonly RecentOpens recent = new();
    private readonly Dictionary<long, RoundTally> tallies = new();

    /// <summary>Rounds opened so far in the session (redone rounds count again).</summary>
    public long Rounds { get; private set; }

    /// <summary>Continues the count of a stored session.</summary>
    public void Restore(long rounds) => Rounds = rounds;

    /// <summary>The value already opened for that part of that round, if still kept: the answer to a party's late copy.</summary>
    public OpenContribution? Answered(long round, int chunk) => recent.Find(round, chunk);

    /// <summary>
    /// Adds party <paramref name="party"/>'s message to its round (of <paramref name="parties"/> messages) and returns
    /// the round to wait on; the last message opens it. A party's second copy is not counted again (<see cref="PendingRound.Add"/>).
    /// </summary>
    /// <param name="party">The sending party.</param>
    /// <param name="message">Its message for one part of one round.</param>
    /// <param name="parties">How many parties the session has.</param>
    /// <param name="parent">The session span's context, parent of the round's span.</param>
    public PendingRound Join(int party, OpenContribution message, int parties, ActivityContext parent)
    {
        if (!tallies.ContainsKey(message.Round))
        {
            // The round's span must not become the current one: it outlives this call and ends with the round.
            Activity? previous = Activity.Current;
            Activity? span = RoundTelemetry.StartRound(parent);
            Activity.Current = previous;
            tallies[message.Round] = new RoundTally(span, message.Chunks);
        }
        var key = (message.Round, message.Chunk);
        if (!pending.TryGetValue(key, out PendingRound? round))
        {
            round = new PendingRound(message.Round, parties);
            pending[key] = round;
        }
        if (round.Add(party, message))
        {
            pending.Remove(key);
            Open(round);
        }
        return round;
    }

    /// <summary>
    /// Fails every waiting round with <paramref name="reason"/> so that no party hangs, ends their spans, and forgets
    /// the opened values (the session failed, or a new attempt numbers its rounds afresh).
    /// </summary>
    public void FailAll(string reason)
    {
        foreach (PendingRound round in pending.Values)
        {
            round.Fail(new InvalidOperationException(reason));
        }
        foreach (RoundTally tally in tallies.Values)
        {
            tally.Span?.Stop();
        }
        pending.Clear();
        tallies.Clear();
        recent.Clear();
    }

    /// <summary>Sums the messages of one round (or one part of it) and answers every party; once every part of the
    /// round is open, records the round's span and metrics.</summary>
    private void Open(PendingRound round)
    {
        IReadOnlyList<OpenContribution> messages = round.Messages;
        try
        {
            OpenContribution opened = Combine(messages);
            recent.Add(round.Index, messages[0].Chunk, opened);
            RoundTally tally = tallies[round.Index];
            tally.Elements += messages[0].ElementCount;
            tally.Operation = messages[0].Operation;
            if (++tally.Done == tally.Chunks)
            {
                tallies.Remove(round.Index);
                Rounds++;
                Record(round.Index, tally, messages.Count);
            }
            round.Complete(opened);
        }
        catch (Exception e)
        {
            round.Fail(new InvalidOperationException(fail(e.Message)));
        }
    }

    /// <summary>One message per party, in party order, combined into the opened value (the engine's one combine, <see cref="OpenCombiner"/>).</summary>
    private static OpenContribution Combine(IReadOnlyList<OpenContribution> messages) => OpenCombiner.Combine(messages);

    /// <summary>Ends a round's span with its figures and adds the round to the metrics, as the simulator's coordinator does (<see cref="RoundTelemetry"/>).</summary>
    private void Record(long index, RoundTally tally, int parties) =>
        RoundTelemetry.Complete(tally.Span, session, index, tally.Operation, tally.Elements, parties, Stopwatch.GetElapsedTime(tally.Started));
}
