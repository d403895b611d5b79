namespace SecureCompute.Grains.Training;

/// <summary>
/// Where a party's training program stands at an epoch boundary: enough to continue and finish with the same model as
/// an uninterrupted run. Secret: it holds the party's weight shares.
/// </summary>
/// <param name="Epochs">Epochs completed.</param>
/// <param name="WeightShares">The hosted parties' shares of w (ring elements, d + 1 each), in hosted order.</param>
/// <param name="MaterialSequence">The next piece of dealer material (material depends only on seed, sequence and request).</param>
/// <param name="EpochLoss">The losses released so far (public).</param>
public sealed record TrainingCheckpoint(int Epochs, long[][] WeightShares, long MaterialSequence, double[] EpochLoss)
{
    /// <summary>Describes the checkpoint without its shares.</summary>
    public override string ToString() => $"TrainingCheckpoint(after epoch {Epochs}, material {MaterialSequence})";
}
