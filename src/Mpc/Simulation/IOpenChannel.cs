using SecureCompute.Mpc.Protocols;

namespace SecureCompute.Mpc.Simulation;

/// <summary>How one party's engine takes part in an open when the other parties run elsewhere.</summary>
/// <remarks>
/// The party sends its masked message for the round and receives the combined (opened) message back; whoever
/// combines (the coordinator) sees only those two. Called on the party's own worker thread, one round at a time.
/// </remarks>
public interface IOpenChannel
{
    /// <summary>Sends this party's message for round <paramref name="round"/> and returns the opened message.</summary>
    /// <param name="round">The round's index in the session (every party counts the same rounds).</param>
    /// <param name="op">The operation, for traces and checks.</param>
    /// <param name="message">This party's masked message; the channel does not dispose it.</param>
    OpenMessage Open(long round, ProtocolOp op, OpenMessage message);
}
