using System.Text.Json;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Sessions;

/// <summary>
/// What a session's coordinator keeps in storage to survive its silo: the spec, where the session stands, the
/// released losses, and the report once there is one. Nothing in it is secret to any party — the coordinator never
/// holds a share, a seed or a datum — so it is stored unsealed: no single party's key could be the right one, since
/// after a failover another party's silo must read it. A tampered record can only stop the session (the parties
/// resume from their own sealed checkpoints, which the coordinator cannot alter).
/// </summary>
/// <param name="Spec">The session's spec.</param>
/// <param name="State">Training, Completed or Failed.</param>
/// <param name="Attempt">The newest attempt any party was told to run (written before the parties are told).</param>
/// <param name="Resumes">How many times the session resumed.</param>
/// <param name="EpochLoss">The released losses, epoch by epoch.</param>
/// <param name="Rounds">Rounds opened so far (redone rounds count again).</param>
/// <param name="HostParty">The party whose silo hosted the coordinator when this was written.</param>
/// <param name="Error">The failure's cause, if failed.</param>
/// <param name="Report">The report, once completed.</param>
/// <param name="EpochsDone">Epochs finished (null in a snapshot written before it was kept: the losses' count).</param>
internal sealed record CoordinatorSnapshot(SessionSpec Spec, SessionState State, int Attempt, int Resumes, double[] EpochLoss, long Rounds,
    string? HostParty, string? Error, SessionReport? Report, int? EpochsDone = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <summary>The snapshot as bytes.</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>A snapshot from its bytes.</summary>
    public static CoordinatorSnapshot FromBytes(byte[] bytes) =>
        JsonSerializer.Deserialize<CoordinatorSnapshot>(bytes, Json) ?? throw new InvalidOperationException("An empty coordinator snapshot.");
}

/// <summary>The coordinator's storage record: a <see cref="CoordinatorSnapshot"/> as JSON, or null before the session trains.</summary>
[GenerateSerializer, Alias("SecureCompute.CoordinatorState")]
public sealed class CoordinatorState
{
    /// <summary>The snapshot's bytes.</summary>
    [Id(0)]
    public byte[]? Snapshot { get; set; }
}
