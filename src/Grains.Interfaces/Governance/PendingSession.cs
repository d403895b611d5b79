using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Interfaces.Governance;

/// <summary>A session that awaits an operator's decision for one party: what it asks for, in public metadata only.</summary>
/// <param name="Party">The party whose decision it awaits.</param>
/// <param name="Spec">The session spec.</param>
/// <param name="Starter">Who started it (an operator identity, or "anonymous").</param>
/// <param name="Since">When the party was asked.</param>
/// <param name="Deadline">When the session fails unless decided.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.PendingSession")]
public sealed record PendingSession(
    [property: Id(0)] string Party,
    [property: Id(1)] SessionSpec Spec,
    [property: Id(2)] string Starter,
    [property: Id(3)] DateTimeOffset Since,
    [property: Id(4)] DateTimeOffset Deadline);
