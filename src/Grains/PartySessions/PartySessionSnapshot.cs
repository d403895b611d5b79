using System.Text.Json;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.PartySessions;

/// <summary>
/// What a party session grain keeps to survive its silo: the plan, its index, its seeds and its last two checkpoints.
/// Secret as a whole: it is stored only sealed (<see cref="Storage.StateSealer"/>).
/// </summary>
internal sealed record PartySessionSnapshot(SessionPlan Plan, int Index, byte[] MaterialSeed, byte[][] PairwiseSeeds, CheckpointData[] Checkpoints,
    SessionResult? Share = null, SessionResult? Model = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <summary>The snapshot as bytes (to be sealed).</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>A snapshot from its bytes.</summary>
    public static PartySessionSnapshot FromBytes(byte[] bytes) =>
        JsonSerializer.Deserialize<PartySessionSnapshot>(bytes, Json) ?? throw new InvalidOperationException("An empty party session grain snapshot.");

    /// <summary>Describes the snapshot without its secrets.</summary>
    public override string ToString() => $"PartySessionSnapshot(session {Plan.Spec.Session}, party {Index}, {Checkpoints.Length} checkpoints)";
}
