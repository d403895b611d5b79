using SecureCompute.Learning.Backends;

namespace SecureCompute.Learning.Losses;

/// <summary>Binary cross-entropy on a logit: the error is σ(z) − y (logistic regression).</summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public sealed class SigmoidCrossEntropy<T>(IBackend<T> backend) : ILoss<T>
    where T : class, IDisposable
{
    /// <inheritdoc />
    public T Error(T output, T target)
    {
        using T p = backend.Sigmoid(output);
        return backend.Subtract(p, target);
    }
}
