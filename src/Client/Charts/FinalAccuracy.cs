namespace SecureCompute.Client.Charts;

/// <summary>
/// A model's accuracy known only at the end of training (the secure model's, opened once, on shares): marked at the
/// last epoch of an <see cref="AccuracyChart"/>.
/// </summary>
/// <param name="Label">The legend's name for the marks, e.g. "secure (final)".</param>
/// <param name="Train">Accuracy on the training rows.</param>
/// <param name="HeldOut">Accuracy on the held-out rows, or null when none were held out.</param>
internal sealed record FinalAccuracy(string Label, double Train, double? HeldOut);
