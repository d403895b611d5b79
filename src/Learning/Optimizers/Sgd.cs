using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Layers;

namespace SecureCompute.Learning.Optimizers;

/// <summary>Minibatch SGD with optional momentum: v ← μ·v + g; θ ← θ − (η / |batch|)·v (plain SGD: v = g).</summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public sealed class Sgd<T>
    where T : class, IDisposable
{
    private readonly IBackend<T> backend;

    /// <summary>An optimizer with learning rate <paramref name="learningRate"/> and momentum <paramref name="momentum"/> (0: none).</summary>
    public Sgd(IBackend<T> backend, double learningRate, double momentum = 0)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive number.");
        }
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }
        this.backend = backend;
        LearningRate = learningRate;
        Momentum = momentum;
    }

    /// <summary>η.</summary>
    public double LearningRate { get; }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>Applies one step to <paramref name="parameters"/> from gradients summed over <paramref name="batchSize"/> rows; keeps the new values.</summary>
    public void Step(IEnumerable<Parameter<T>> parameters, int batchSize)
    {
        foreach (Parameter<T> p in parameters)
        {
            T gradient = p.Gradient ?? throw new InvalidOperationException($"{p.Name} has no gradient: step before backward.");
            T direction = gradient;
            if (Momentum > 0)
            {
                T velocity;
                if (p.Velocity is { } previous)
                {
                    using T decayed = backend.Scale(previous, Momentum);
                    velocity = backend.Add(decayed, gradient);
                    previous.Dispose();
                }
                else
                {
                    velocity = backend.Scale(gradient, 1.0);
                }
                p.Velocity = backend.Keep(velocity);
                direction = velocity;
            }
            using T update = backend.Scale(direction, LearningRate / batchSize);
            T next = backend.Keep(backend.Subtract(p.Value, update));
            p.Value.Dispose();
            p.Value = next;
            p.Gradient = null;
        }
    }
}
