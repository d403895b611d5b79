using SecureCompute.Grains.Interfaces.Rounds;

namespace SecureCompute.Grains.Sessions;

/// <summary>
/// The coordinator's last few opened values, so that a party's resend of an open that was answered while the party
/// waited in vain (its first message or the answer lost in transit) gets the same answer instead of a new round.
/// </summary>
/// <remarks>Opened values are public (every party receives them), so keeping a few costs no secrecy.</remarks>
internal sealed class RecentOpens
{
    /// <summary>How many opened parts are kept: rounds run in lockstep, so a resend is at most a round or two late.</summary>
    public const int Kept = 16;

    private readonly Queue<(long Round, int Chunk)> order = new();
    private readonly Dictionary<(long Round, int Chunk), OpenContribution> opened = new();

    /// <summary>Keeps part <paramref name="chunk"/> of round <paramref name="round"/>'s opened value.</summary>
    public void Add(long round, int chunk, OpenContribution value)
    {
        if (opened.TryAdd((round, chunk), value))
        {
            order.Enqueue((round, chunk));
            if (order.Count > Kept)
            {
                opened.Remove(order.Dequeue());
            }
        }
    }

    /// <summary>The opened value of that part of that round, if it is still kept.</summary>
    public OpenContribution? Find(long round, int chunk) => opened.TryGetValue((round, chunk), out OpenContribution? value) ? value : null;

    /// <summary>Forgets every kept value (a new attempt numbers its rounds afresh).</summary>
    public void Clear()
    {
        order.Clear();
        opened.Clear();
    }
}
