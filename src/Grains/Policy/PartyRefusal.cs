namespace SecureCompute.Grains.Policy;

/// <summary>One party's refusal of a session.</summary>
/// <param name="Party">The refusing party.</param>
/// <param name="Refusal">The rule and the reason.</param>
public sealed record PartyRefusal(string Party, PolicyRefusal Refusal);
