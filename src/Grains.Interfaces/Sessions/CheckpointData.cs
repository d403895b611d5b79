using SecureCompute.Grains.Interfaces.Wire;

namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>A party's checkpoint at an epoch boundary, from its worker to its own party session grain (same silo). Secret.</summary>
/// <param name="Epochs">Epochs completed.</param>
/// <param name="WeightShares">The party's share of w.</param>
/// <param name="MaterialSequence">The next piece of dealer material.</param>
/// <param name="EpochLoss">The released losses so far.</param>
/// <param name="Statistics">A DP session's released private statistics, reused on resume (never opened twice).</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.CheckpointData")]
public sealed record CheckpointData(
    [property: Id(0)] int Epochs,
    [property: Id(1)] RingTensor WeightShares,
    [property: Id(2)] long MaterialSequence,
    [property: Id(3)] double[] EpochLoss,
    [property: Id(4)] double[]? Statistics = null)
{
    /// <summary>Describes the checkpoint without its shares.</summary>
    public override string ToString() => $"CheckpointData(after epoch {Epochs}, material {MaterialSequence})";
}
