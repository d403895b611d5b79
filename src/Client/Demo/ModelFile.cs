namespace SecureCompute.Client.Demo;

/// <summary>model.json: the released model, with what is needed to apply it to new rows.</summary>
/// <param name="Model">logistic or linear.</param>
/// <param name="Features">Feature names, in order.</param>
/// <param name="Label">The label column.</param>
/// <param name="Weights">One weight per feature (on standardised features).</param>
/// <param name="Bias">The bias.</param>
/// <param name="Mean">Per-feature mean used for standardisation.</param>
/// <param name="StandardDeviation">Per-feature standard deviation used for standardisation.</param>
internal sealed record ModelFile(string Model, IReadOnlyList<string> Features, string Label, double[] Weights, double Bias, double[] Mean, double[] StandardDeviation);
