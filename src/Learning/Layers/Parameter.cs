namespace SecureCompute.Learning.Layers;

/// <summary>A trainable tensor, its gradient from the last backward pass, and the optimizer's velocity.</summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public sealed class Parameter<T>(string name, T value)
    where T : class, IDisposable
{
    /// <summary>The parameter's name within its model (e.g. <c>layer0.weight</c>).</summary>
    public string Name { get; } = name;

    /// <summary>The current value.</summary>
    public T Value { get; set; } = value;

    /// <summary>The gradient of the last backward pass (summed over the batch), or null before one.</summary>
    public T? Gradient { get; set; }

    /// <summary>The momentum buffer, or null (plain SGD, or before the first step).</summary>
    public T? Velocity { get; set; }
}
