using SecureCompute.Learning.Training;

namespace SecureCompute.Learning.Programs;

/// <summary>What a training program ends with.</summary>
/// <param name="Weights">Every parameter, flattened in model order — for a recipient; empty elsewhere.</param>
/// <param name="WeightShares">The hosted parties' shares of the flattened parameters (secret runs; empty in plaintext).</param>
/// <param name="Shapes">Each parameter's name and shape, in the flattened order.</param>
/// <param name="Means">Per-feature mean over the training rows (released).</param>
/// <param name="StandardDeviations">Per-feature standard deviation over the training rows (released).</param>
/// <param name="Train">Released figures on the training rows.</param>
/// <param name="HeldOut">Released figures on the held-out rows (null when none are held out).</param>
/// <param name="EpochLoss">Each epoch's released loss.</param>
/// <param name="Steps">SGD steps taken.</param>
/// <param name="Rounds">Protocol rounds.</param>
/// <param name="RoundsPerStep">Rounds per SGD step.</param>
/// <param name="BytesOpened">Bytes every party sent to openings.</param>
/// <param name="DealerBytes">Dealer correction bytes.</param>
/// <param name="Seconds">Wall-clock seconds.</param>
public sealed record ProgramResult(double[] Weights, long[][] WeightShares, IReadOnlyList<(string Name, long[] Shape)> Shapes,
    double[] Means, double[] StandardDeviations, Evaluation Train, Evaluation? HeldOut, double[] EpochLoss, int Steps, long Rounds,
    double RoundsPerStep, long BytesOpened, long DealerBytes, double Seconds)
{
    /// <summary>
    /// Accuracy on the training rows after each epoch: a plaintext classifier's when asked for
    /// (<see cref="PlaintextProgram.Run"/>); empty otherwise — regression, and secret runs, which open the accuracy once,
    /// at the end. The last equals <see cref="Train"/>'s accuracy.
    /// </summary>
    public double[] EpochTrainAccuracy { get; init; } = Array.Empty<double>();

    /// <summary>Accuracy on the held-out rows after each epoch, as <see cref="EpochTrainAccuracy"/> (empty too when none are held out).</summary>
    public double[] EpochHeldOutAccuracy { get; init; } = Array.Empty<double>();
}
