using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Policy;

/// <summary>One release a session will make: a kind of value to one recipient.</summary>
/// <param name="Kind">What is released.</param>
/// <param name="Recipient">A party id or a client identity <c>party:name</c>.</param>
public sealed record PlannedRelease(ReleaseKind Kind, string Recipient);
