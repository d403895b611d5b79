using SecureCompute.Learning.Backends;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Layers;

/// <summary>y = x·W + b, W of shape [in, out], b of shape [1, out].</summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public sealed class Linear<T> : ILayer<T>
    where T : class, IDisposable
{
    private readonly IBackend<T> backend;
    private T? input;
    private T? outputGradient;

    /// <summary>A layer from public initial values <paramref name="weight"/> [in, out] and <paramref name="bias"/> [1, out].</summary>
    public Linear(IBackend<T> backend, string name, Tensor weight, Tensor bias)
    {
        if (weight.dim() != 2 || bias.dim() != 2 || bias.shape[0] != 1 || bias.shape[1] != weight.shape[1])
        {
            throw new ArgumentException($"Layer {name}: a weight [in, out] and a bias [1, out] are needed, not [{string.Join(", ", weight.shape)}] and [{string.Join(", ", bias.shape)}].");
        }
        this.backend = backend;
        Inputs = (int)weight.shape[0];
        Outputs = (int)weight.shape[1];
        Weight = new Parameter<T>($"{name}.weight", backend.Keep(backend.Constant(weight)));
        Bias = new Parameter<T>($"{name}.bias", backend.Keep(backend.Constant(bias)));
    }

    /// <summary>Input features.</summary>
    public int Inputs { get; }

    /// <summary>Output features.</summary>
    public int Outputs { get; }

    /// <summary>W.</summary>
    public Parameter<T> Weight { get; }

    /// <summary>b.</summary>
    public Parameter<T> Bias { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => new[] { Weight, Bias };

    /// <inheritdoc />
    public T Forward(T input)
    {
        this.input = input;
        using T product = backend.MatMul(input, Weight.Value);
        return backend.Add(product, Bias.Value);
    }

    /// <inheritdoc />
    /// <remarks>[dW; db] = [x, 1]ᵀ·g in one product — the bias gradient Σ_rows g is its last row, so both come at the
    /// same scale and in the same round, and an optimizer truncates them together; dx = g·Wᵀ.</remarks>
    public T? Backward(T outputGradient, bool inputGradient)
    {
        T x = input ?? throw new InvalidOperationException("Backward before forward.");
        using T augmented = backend.AppendOnes(x);
        using T transposed = backend.Transpose(augmented);
        using T both = backend.MatMul(transposed, outputGradient);
        Weight.Gradient = backend.SliceRows(both, 0, Inputs);
        Bias.Gradient = backend.SliceRows(both, Inputs, 1);
        if (!inputGradient)
        {
            return null;
        }
        using T weightT = backend.Transpose(Weight.Value);
        return backend.MatMul(outputGradient, weightT);
    }

    /// <summary>
    /// The backward pass of per-example clipping, first half: keeps the gradient of the output and returns that of
    /// the input (or null), leaving the parameters' gradients to <see cref="SetClippedGradients"/>.
    /// </summary>
    /// <remarks>Example i's gradient of [W; b] is the outer product [x_i, 1] ⊗ g_i, so nothing per example needs to
    /// be materialised: its squared norm is ‖[x_i, 1]‖²·‖g_i‖² (<see cref="ExampleSquaredNorms"/>) and the sum of the
    /// clipped gradients is [x, 1]ᵀ·(s ⊙ g), one product as in <see cref="Backward"/>.</remarks>
    public T? BackwardPerExample(T outputGradient, bool inputGradient)
    {
        _ = input ?? throw new InvalidOperationException("Backward before forward.");
        this.outputGradient = outputGradient;
        if (!inputGradient)
        {
            return null;
        }
        using T weightT = backend.Transpose(Weight.Value);
        return backend.MatMul(outputGradient, weightT);
    }

    /// <summary>‖[x_i, 1]‖²·‖g_i‖² for each example i ([n, 1]): the squared Frobenius norm of its gradient of [W; b].</summary>
    public T ExampleSquaredNorms()
    {
        T x = input ?? throw new InvalidOperationException("Backward before forward.");
        T g = outputGradient ?? throw new InvalidOperationException("Per-example norms before the per-example backward pass.");
        using T inputs = backend.RowSumOfSquares(x);
        using T augmented = backend.AddScalar(inputs, 1.0);
        using T gradients = backend.RowSumOfSquares(g);
        return backend.Multiply(augmented, gradients);
    }

    /// <summary>Sets the parameters' gradients to Σ_i s_i·[x_i, 1] ⊗ g_i = [x, 1]ᵀ·(s ⊙ g): every example's gradient clipped by its factor s_i, summed.</summary>
    public void SetClippedGradients(T factors)
    {
        T x = input ?? throw new InvalidOperationException("Backward before forward.");
        T g = outputGradient ?? throw new InvalidOperationException("Clipped gradients before the per-example backward pass.");
        using T scaled = backend.MultiplyRows(g, factors);
        using T augmented = backend.AppendOnes(x);
        using T transposed = backend.Transpose(augmented);
        using T both = backend.MatMul(transposed, scaled);
        Weight.Gradient = backend.SliceRows(both, 0, Inputs);
        Bias.Gradient = backend.SliceRows(both, Inputs, 1);
        outputGradient = null;
    }
}
