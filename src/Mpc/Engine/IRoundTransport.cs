using SecureCompute.Mpc.Protocols;

namespace SecureCompute.Mpc.Engine;

/// <summary>How an engine's parties take part in an open: their masked messages go out, the combined message comes back.</summary>
/// <remarks>
/// The engine does not know who combines. In a deployment the transport sends its one party's message to the session's
/// coordinator; in the simulator (<see cref="InProcessTransport"/>) the transport is the coordinator itself. Either way
/// whoever combines sees only the masked messages and the opened sum. Called on the engine's thread, one round at a time.
/// </remarks>
public interface IRoundTransport
{
    /// <summary>Sends the hosted parties' messages for round <paramref name="round"/> and returns the opened message.</summary>
    /// <param name="round">The round's index in the session (every party counts the same rounds).</param>
    /// <param name="op">The operation, for traces and checks.</param>
    /// <param name="messages">One masked message per party the engine hosts, in party order; the transport does not dispose them.</param>
    OpenMessage Open(long round, ProtocolOp op, IReadOnlyList<OpenMessage> messages);
}
