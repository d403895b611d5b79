using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Training;

/// <summary>What one party's run of a session's program ends with.</summary>
/// <param name="Share">The party's share of every parameter, flattened (for client recipients).</param>
/// <param name="Weights">The model, when this party is a recipient; empty otherwise.</param>
/// <param name="Report">The session's report without the model (what party 0 sends the coordinator).</param>
/// <param name="DealerBytes">Dealer correction bytes this party received.</param>
internal sealed record PartyOutcome(long[] Share, double[] Weights, SessionReport Report, long DealerBytes);
