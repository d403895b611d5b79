using SecureCompute.Learning.Backends;

namespace SecureCompute.Learning.Losses;

/// <summary>Half the squared error ½(z − y)²: the error is z − y (linear regression).</summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public sealed class SquaredError<T>(IBackend<T> backend) : ILoss<T>
    where T : class, IDisposable
{
    /// <inheritdoc />
    public T Error(T output, T target) => backend.Subtract(output, target);
}
