using SecureCompute.Learning.Backends;

namespace SecureCompute.Learning.Losses;

/// <summary>Softmax cross-entropy on logits against one-hot targets: the error is softmax(z) − y.</summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public sealed class SoftmaxCrossEntropy<T>(IBackend<T> backend) : ILoss<T>
    where T : class, IDisposable
{
    /// <inheritdoc />
    public T Error(T output, T target)
    {
        using T p = backend.Softmax(output);
        return backend.Subtract(p, target);
    }
}
