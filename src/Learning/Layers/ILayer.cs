namespace SecureCompute.Learning.Layers;

/// <summary>One layer: a forward pass that keeps what its backward pass needs, and that backward pass.</summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public interface ILayer<T>
    where T : class, IDisposable
{
    /// <summary>The layer's output for <paramref name="input"/>; keeps what <see cref="Backward"/> needs.</summary>
    T Forward(T input);

    /// <summary>
    /// Sets the parameters' gradients from the gradient of the output, and returns the gradient of the input — or
    /// null when <paramref name="inputGradient"/> is false (the first layer: nobody needs it, and it costs a product).
    /// </summary>
    T? Backward(T outputGradient, bool inputGradient);

    /// <summary>The layer's trainable parameters (none for an activation).</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }
}
