namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>The released model and the session's cost figures.</summary>
/// <param name="Weights">Every parameter of the model, flattened in model order (a regression's: its feature weights,
/// then the bias) — only in the report a recipient's client assembles
/// (<see cref="SessionClient"/>); empty as the coordinator holds it, which never sees the model.</param>
/// <param name="Means">The opened feature means (standardisation).</param>
/// <param name="StandardDeviations">The opened feature standard deviations.</param>
/// <param name="FeatureNames">Feature columns.</param>
/// <param name="Steps">SGD steps.</param>
/// <param name="Rounds">Rounds of the whole session.</param>
/// <param name="RoundsPerStep">Rounds per SGD step.</param>
/// <param name="BytesOpened">Bytes moved by opens (all parties, both directions).</param>
/// <param name="DealerBytes">Bytes the dealer sent.</param>
/// <param name="Seconds">Wall-clock seconds of the training program at party 0.</param>
/// <param name="EpochLoss">The released per-epoch losses.</param>
/// <param name="Recipients">Who received the model (party ids and client identities).</param>
/// <param name="TrainAccuracy">Accuracy on the training rows, evaluated on shares (classifiers).</param>
/// <param name="HeldOutAccuracy">Accuracy on the held-out rows, evaluated on shares (classifiers).</param>
/// <param name="HeldOutMse">Mean squared error on the held-out rows, evaluated on shares (linear regression).</param>
/// <param name="HeldOutRows">Rows held out over all parties (public).</param>
/// <param name="ParameterNames">Each parameter's name, in the order <paramref name="Weights"/> flattens them (null: weights then bias).</param>
/// <param name="ParameterShapes">Each parameter's shape, in the same order.</param>
/// <param name="TrainMse">Mean squared error on the training rows, evaluated on shares (linear regression).</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.SessionReport")]
public sealed record SessionReport(
    [property: Id(0)] double[] Weights,
    [property: Id(1)] double[] Means,
    [property: Id(2)] double[] StandardDeviations,
    [property: Id(3)] string[] FeatureNames,
    [property: Id(4)] int Steps,
    [property: Id(5)] long Rounds,
    [property: Id(6)] double RoundsPerStep,
    [property: Id(7)] long BytesOpened,
    [property: Id(8)] long DealerBytes,
    [property: Id(9)] double Seconds,
    [property: Id(10)] double[] EpochLoss,
    [property: Id(11)] string[]? Recipients = null,
    [property: Id(12)] double? TrainAccuracy = null,
    [property: Id(13)] double? HeldOutAccuracy = null,
    [property: Id(14)] double? HeldOutMse = null,
    [property: Id(15)] int HeldOutRows = 0,
    [property: Id(16)] string[]? ParameterNames = null,
    [property: Id(17)] long[][]? ParameterShapes = null,
    [property: Id(18)] double? TrainMse = null);
