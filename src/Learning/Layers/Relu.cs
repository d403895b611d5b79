using SecureCompute.Learning.Backends;

namespace SecureCompute.Learning.Layers;

/// <summary>max(x, 0); its backward pass multiplies by the mask [x ≥ 0] kept from the forward pass.</summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public sealed class Relu<T>(IBackend<T> backend) : ILayer<T>
    where T : class, IDisposable
{
    private T? mask;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => Array.Empty<Parameter<T>>();

    /// <inheritdoc />
    public T Forward(T input)
    {
        (T value, T kept) = backend.Relu(input);
        mask = kept;
        return value;
    }

    /// <inheritdoc />
    public T? Backward(T outputGradient, bool inputGradient) =>
        inputGradient ? backend.Multiply(outputGradient, mask ?? throw new InvalidOperationException("Backward before forward.")) : null;
}
