using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Layers;
using SecureCompute.Learning.Losses;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Models;

/// <summary>Builds a model and its loss on a backend from a <see cref="ModelSpec"/>; the same spec gives the same initial weights on every backend.</summary>
public static class ModelBuilder
{
    /// <summary>The model's layers for <paramref name="spec"/> on <paramref name="backend"/>.</summary>
    public static Sequential<T> Build<T>(IBackend<T> backend, ModelSpec spec)
        where T : class, IDisposable
    {
        IReadOnlyList<string> problems = spec.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(spec));
        }
        var random = new Random(spec.InitSeed);
        var layers = new List<ILayer<T>>();
        int inputs = spec.Features;
        if (spec.Kind == ModelKind.Mlp)
        {
            for (int i = 0; i < spec.Hidden.Count; i++)
            {
                layers.Add(Dense(backend, $"layer{i}", inputs, spec.Hidden[i], random, zero: false));
                layers.Add(new Relu<T>(backend));
                inputs = spec.Hidden[i];
            }
        }
        // A single linear layer (linear, logistic, softmax regression) starts at 0, as logistic regression always has;
        // an MLP's output layer draws like the others (zeros would stall its hidden layers' gradients).
        layers.Add(Dense(backend, $"layer{layers.Count / 2}", inputs, spec.Classes, random, zero: spec.Kind != ModelKind.Mlp));
        return new Sequential<T>(layers);
    }

    /// <summary>The number of parameters of <paramref name="spec"/>'s model (weights and biases of every layer).</summary>
    public static long ParameterCount(ModelSpec spec)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        return Build(new Backends.PlaintextBackend(), spec).Parameters.Sum(p => p.Value.numel());
    }

    /// <summary>The loss the model trains on.</summary>
    public static ILoss<T> Loss<T>(IBackend<T> backend, ModelKind kind)
        where T : class, IDisposable => kind switch
    {
        ModelKind.Linear => new SquaredError<T>(backend),
        ModelKind.Logistic => new SigmoidCrossEntropy<T>(backend),
        _ => new SoftmaxCrossEntropy<T>(backend),
    };

    /// <summary>A linear layer; weights uniform in ±√(6 / (in + out)) (Glorot) from the public seed, or zero; bias zero.</summary>
    private static Linear<T> Dense<T>(IBackend<T> backend, string name, int inputs, int outputs, Random random, bool zero)
        where T : class, IDisposable
    {
        double limit = Math.Sqrt(6.0 / (inputs + outputs));
        var values = new double[inputs * outputs];
        if (!zero)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (2 * random.NextDouble() - 1) * limit;
            }
        }
        using Tensor weight = tensor(values, new long[] { inputs, outputs });
        using Tensor bias = zeros(new long[] { 1, outputs }, ScalarType.Float64);
        return new Linear<T>(backend, name, weight, bias);
    }
}
