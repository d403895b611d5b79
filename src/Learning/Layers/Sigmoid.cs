using SecureCompute.Learning.Backends;

namespace SecureCompute.Learning.Layers;

/// <summary>σ(x); its backward pass multiplies by σ(x)·(1 − σ(x)) from the kept output.</summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public sealed class Sigmoid<T>(IBackend<T> backend) : ILayer<T>
    where T : class, IDisposable
{
    private T? output;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => Array.Empty<Parameter<T>>();

    /// <inheritdoc />
    public T Forward(T input)
    {
        output = backend.Sigmoid(input);
        return output;
    }

    /// <inheritdoc />
    public T? Backward(T outputGradient, bool inputGradient)
    {
        if (!inputGradient)
        {
            return null;
        }
        T s = output ?? throw new InvalidOperationException("Backward before forward.");
        using T negated = backend.Negate(s);
        using T complement = backend.AddScalar(negated, 1);
        using T slope = backend.Multiply(s, complement);
        return backend.Multiply(outputGradient, slope);
    }
}
