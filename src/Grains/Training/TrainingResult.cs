namespace SecureCompute.Grains.Training;

/// <summary>A trained model and the cost figures of the session that trained it.</summary>
/// <param name="Weights">Feature weights followed by the bias as the first hosted model recipient received them; empty
/// where the engine hosts no recipient.</param>
/// <param name="Standardisation">The aggregate statistics the features were standardised with.</param>
/// <param name="Steps">SGD steps taken.</param>
/// <param name="Rounds">Rounds of the whole session (aggregates, steps, release).</param>
/// <param name="RoundsPerStep">Rounds of one SGD step.</param>
/// <param name="BytesOpened">Bytes moved by all opens.</param>
/// <param name="DealerBytes">Bytes the dealer sent.</param>
/// <param name="Seconds">Wall-clock seconds of the whole session.</param>
/// <param name="EpochLoss">The released per-epoch loss: mean of (prediction − label)² over the epoch's rows (the Brier
/// score for logistic regression, the MSE for linear regression), computed on shares and opened once per epoch.</param>
/// <param name="WeightShares">Each hosted party's additive share of the final weights (ring elements at the session's
/// fractional bits), for client recipients, who sum every party's share themselves.</param>
public sealed record TrainingResult(double[] Weights, Standardisation Standardisation, int Steps, long Rounds, double RoundsPerStep,
    long BytesOpened, long DealerBytes, double Seconds, double[] EpochLoss, long[][]? WeightShares = null);
