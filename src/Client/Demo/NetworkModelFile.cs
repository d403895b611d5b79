namespace SecureCompute.Client.Demo;

/// <summary>model.json of a softmax or MLP model: each parameter by name and shape, with the standardisation to apply first.</summary>
/// <param name="Model">softmax or mlp.</param>
/// <param name="Features">Feature names, in order.</param>
/// <param name="Label">The label column.</param>
/// <param name="Classes">Classes K (labels 0..K−1).</param>
/// <param name="Mean">Per-feature mean used for standardisation.</param>
/// <param name="StandardDeviation">Per-feature standard deviation used for standardisation.</param>
/// <param name="Parameters">Layer by layer: weight [in, out] then bias [1, out], row-major; hidden layers apply ReLU.</param>
internal sealed record NetworkModelFile(string Model, IReadOnlyList<string> Features, string Label, int Classes, double[] Mean, double[] StandardDeviation,
    IReadOnlyList<ModelParameter> Parameters);

/// <summary>One parameter of a model file.</summary>
/// <param name="Name">e.g. layer0.weight.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Values">Row-major values.</param>
internal sealed record ModelParameter(string Name, long[] Shape, double[] Values);
