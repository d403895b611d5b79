namespace SecureCompute.Learning.Programs;

/// <summary>What continuing a secret program needs after an epoch: the parameters' shares, the material position and the losses so far.</summary>
/// <param name="Epochs">Epochs completed.</param>
/// <param name="WeightShares">Per hosted party, its share of every parameter flattened in model order (all at f fractional bits).</param>
/// <param name="MaterialSequence">The next dealer material sequence number.</param>
/// <param name="EpochLoss">Released losses so far.</param>
public sealed record ProgramCheckpoint(int Epochs, long[][] WeightShares, long MaterialSequence, double[] EpochLoss);
