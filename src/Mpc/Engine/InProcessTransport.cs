using System.Diagnostics;
using SecureCompute.Mpc.Diagnostics;
using SecureCompute.Mpc.Protocols;

namespace SecureCompute.Mpc.Engine;

/// <summary>
/// The simulator's transport: one engine hosts every party, and this transport is their coordinator — it sums the
/// parties' messages (<see cref="OpenRound.Combine"/>) and hands the sum back, recording the round as a deployment's
/// coordinator does (<see cref="RoundTelemetry"/>).
/// </summary>
/// <remarks>The counterpart of CrypTen's in-process communicator: the engine runs the same code as a deployed party's.</remarks>
public sealed class InProcessTransport(string session, int parties) : IRoundTransport
{
    /// <summary>
    /// Raised with (party, message) for every message the coordinator receives — what a coordinator could record.
    /// For audits and tests: they show that only masked values and intended releases reach it.
    /// </summary>
    public event Action<int, OpenMessage>? Received;

    /// <inheritdoc />
    public OpenMessage Open(long round, ProtocolOp op, IReadOnlyList<OpenMessage> messages)
    {
        if (messages.Count != parties)
        {
            throw new ArgumentException($"The in-process coordinator combines all {parties} parties' messages; it got {messages.Count}.", nameof(messages));
        }
        long start = Stopwatch.GetTimestamp();
        using Activity? span = RoundTelemetry.StartRound();
        for (int i = 0; i < messages.Count; i++)
        {
            Received?.Invoke(i, messages[i]);
        }
        OpenMessage opened = OpenRound.Combine(messages);
        RoundTelemetry.Complete(span, session, round, op.ToString(), messages[0].ElementCount, parties, Stopwatch.GetElapsedTime(start));
        return opened;
    }
}
