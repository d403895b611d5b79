using SecureCompute.Learning.Layers;

namespace SecureCompute.Learning.Models;

/// <summary>Layers applied in order; the backward pass runs them in reverse and skips the first layer's input gradient.</summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public sealed class Sequential<T>(IReadOnlyList<ILayer<T>> layers)
    where T : class, IDisposable
{
    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<ILayer<T>> Layers { get; } = layers;

    /// <summary>Every trainable parameter, in layer order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => Layers.SelectMany(l => l.Parameters).ToArray();

    /// <summary>The model's output for <paramref name="input"/> (intermediates belong to the caller's dispose scope).</summary>
    public T Forward(T input)
    {
        T current = input;
        foreach (ILayer<T> layer in Layers)
        {
            current = layer.Forward(current);
        }
        return current;
    }

    /// <summary>Sets every parameter's gradient from the gradient of the output.</summary>
    public void Backward(T outputGradient)
    {
        T current = outputGradient;
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            bool needed = Layers.Take(i).Any(l => l.Parameters.Count > 0);
            T? next = Layers[i].Backward(current, needed);
            if (next is null)
            {
                return;
            }
            current = next;
        }
    }
}
