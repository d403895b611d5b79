using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Wire;
using SecureCompute.Grains.Placement;
using SecureCompute.Mpc.Protocols;
using SecureCompute.Mpc.Engine;
using static TorchSharp.torch;

namespace SecureCompute.Grains.PartySessions;

/// <summary>A party's opens through the session's coordinator grain: one call per round, answered with the opened value.</summary>
/// <remarks>
/// Used from the party's worker thread, which waits for each answer (<see cref="WorkerWait"/>). An open larger than one
/// message goes as parts, sent together (<see cref="OpenChunking"/>).
/// </remarks>
internal sealed class GrainOpenChannel(ITrainingSessionGrain coordinator, int party, int attempt, Device device) : IRoundTransport
{
    /// <summary>How long an open may go unanswered before the party sends its message again (the coordinator answers a resend like the first).</summary>
    public static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(10);

    /// <summary>The most times one open is sent (one every <see cref="ResendAfter"/>; the round's own timeout ends a session long before).</summary>
    public const int MaxSends = 30;

    /// <inheritdoc />
    public OpenMessage Open(long round, ProtocolOp op, IReadOnlyList<OpenMessage> messages)
    {
        if (messages.Count != 1)
        {
            throw new ArgumentException($"A deployed party's engine hosts one party; it sent {messages.Count} messages.", nameof(messages));
        }
        OpenMessage message = messages[0];
        OpenContribution mine = MessageConversion.ToWire(message, round, op) with { Attempt = attempt };
        OpenContribution[] parts = OpenChunking.Split(mine);
        OpenContribution[] opened = WorkerWait.For(Task.WhenAll(parts.Select(SendAsync)));
        if (opened.Any(o => o.Round != round))
        {
            throw new InvalidOperationException($"The coordinator answered round {round} with another round.");
        }
        return MessageConversion.FromWire(OpenChunking.Join(opened, mine.Values.Select(v => v.Shape).ToArray()), device);
    }

    /// <summary>
    /// Sends one part and waits for its answer, sending it again each <see cref="ResendAfter"/> it goes unanswered; the
    /// first answer to any copy is the answer.
    /// </summary>
    /// <remarks>
    /// Why: after a party's silo replaced a killed incarnation of itself on the same endpoint, one of its opens was seen
    /// (CI, a process test) to reach nobody and stay unanswered until the call's 3-minute timeout, while every other
    /// party waited for it at the coordinator. A resend is cheap (the coordinator keeps the first copy of a party's
    /// message and its last answers, <see cref="Sessions.RecentOpens"/>), and an open that is merely slow — another
    /// party still computing — just gets a duplicate that changes nothing.
    /// </remarks>
    private async Task<OpenContribution> SendAsync(OpenContribution part)
    {
        var sent = new List<Task<OpenContribution>> { SiloLossRetry.RunAsync(() => coordinator.OpenAsync(party, part)) };
        while (true)
        {
            Task<OpenContribution> answered = await Task.WhenAny(sent.Append(Task.Delay(ResendAfter).ContinueWith(_ => (OpenContribution)null!, TaskScheduler.Default)));
            if (sent.Contains(answered))
            {
                if (answered.IsCompletedSuccessfully || sent.All(t => t.IsCompleted))
                {
                    return await answered;
                }
                sent.Remove(answered);   // one copy failed (e.g. timed out) while another may still be answered
                continue;
            }
            if (sent.Count >= MaxSends)
            {
                return await await Task.WhenAny(sent);
            }
            sent.Add(SiloLossRetry.RunAsync(() => coordinator.OpenAsync(party, part)));
        }
    }
}
