namespace SecureCompute.Learning.Programs;

/// <summary>What continuing a secret program needs after an epoch: the parameters' shares, the material position and the losses so far.</summary>
/// <param name="Epochs">Epochs completed.</param>
/// <param name="WeightShares">Per hosted party, its share of every parameter flattened in model order (all at f fractional bits).</param>
/// <param name="MaterialSequence">The next dealer material sequence number.</param>
/// <param name="EpochLoss">Released losses so far.</param>
/// <param name="Statistics">A DP program's released private statistics (the noisy Σz, then Σ|z − μ|): public, and
/// reused on resume — opening them again would be a second, unaccounted release.</param>
public sealed record ProgramCheckpoint(int Epochs, long[][] WeightShares, long MaterialSequence, double[] EpochLoss, double[]? Statistics = null);
