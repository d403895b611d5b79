namespace SecureCompute.Learning.Training;

/// <summary>A model's released figures on a set of rows: accuracy (classification) or mean squared error (regression).</summary>
/// <param name="Rows">Rows evaluated (public).</param>
/// <param name="Accuracy">Fraction classified correctly, or null for regression.</param>
/// <param name="MeanSquaredError">Mean squared error, or null for classification.</param>
public sealed record Evaluation(int Rows, double? Accuracy, double? MeanSquaredError);
