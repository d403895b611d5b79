using SecureCompute.Learning.Backends;
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

    /// <summary>
    /// Sets every parameter's gradient to the sum over the batch of each example's gradient clipped to L2 norm
    /// <paramref name="clipNorm"/> (its norm taken over all of the model's parameters, as DP-SGD needs).
    /// </summary>
    /// <remarks>
    /// Backpropagation is linear in the gradient it starts from once the forward pass fixed the activations, so
    /// clipping example i — scaling its whole gradient by s_i = min(1, C/‖G_i‖) — scales its row of every layer's output
    /// gradient by s_i. Hence: one backward pass without the parameter products (<see cref="Linear{T}.BackwardPerExample"/>),
    /// ‖G_i‖² = Σ_layers ‖[a_i, 1]‖²·‖g_i‖², the factors s, and per layer [a, 1]ᵀ·(s ⊙ g). On shares: the norms' squares
    /// and products, one clip factor (31 rounds), one row scaling and the products of the ordinary backward pass.
    /// </remarks>
    public void BackwardClipped(IBackend<T> backend, T outputGradient, double clipNorm)
    {
        var linear = new List<Linear<T>>();
        T current = outputGradient;
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            bool needed = Layers.Take(i).Any(l => l.Parameters.Count > 0);
            T? next = Layers[i] switch
            {
                Linear<T> layer => Track(layer, layer.BackwardPerExample(current, needed)),
                { Parameters.Count: 0 } layer => layer.Backward(current, needed),
                _ => throw new NotSupportedException($"Per-example clipping needs every parameterised layer to be linear; {Layers[i].GetType().Name} is not."),
            };
            if (next is null)
            {
                break;
            }
            current = next;
        }
        if (linear.Count == 0)
        {
            throw new InvalidOperationException("The model has no parameters to clip.");
        }
        T? norms = null;
        foreach (Linear<T> layer in linear)
        {
            T own = layer.ExampleSquaredNorms();
            norms = norms is null ? own : backend.Add(norms, own);
        }
        using T factors = backend.ClipFactors(norms!, clipNorm);
        foreach (Linear<T> layer in linear)
        {
            layer.SetClippedGradients(factors);
        }

        T? Track(Linear<T> layer, T? next)
        {
            linear.Add(layer);
            return next;
        }
    }
}
