using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Layers;

namespace SecureCompute.Learning.Optimizers;

/// <summary>
/// Minibatch SGD with optional momentum and weight decay: g ← g + λ·|batch|·θ (so the step is on the batch mean plus
/// (λ/2)‖θ‖²); v ← μ·v + g; θ ← θ − (η / |batch|)·v (plain SGD: v = g).
/// </summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public sealed class Sgd<T>
    where T : class, IDisposable
{
    private readonly IBackend<T> backend;

    /// <summary>An optimizer with learning rate <paramref name="learningRate"/> and momentum <paramref name="momentum"/> (0: none).</summary>
    public Sgd(IBackend<T> backend, double learningRate, double momentum = 0, double weightDecay = 0)
    {
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be a non-negative number.");
        }
        WeightDecay = weightDecay;
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

    /// <summary>λ: the L2 regularisation's weight (on every parameter, biases included).</summary>
    public double WeightDecay { get; }

    /// <summary>
    /// The point the weight decay pulls towards, one value per parameter in order: null is 0 (plain L2). FedProx's
    /// proximal term μ/2·‖θ − θ_global‖² is this decay with λ = μ and the round's global model as the anchor.
    /// </summary>
    public IReadOnlyList<T>? Anchor { get; init; }

    /// <summary>Applies one step to <paramref name="parameters"/> from gradients summed over <paramref name="batchSize"/> rows; keeps the new values.</summary>
    /// <remarks>Every parameter's update is scaled in one batched call (<see cref="IBackend{T}.ScaleAll"/>): on shares
    /// the step's rounds do not grow with the number of parameters.</remarks>
    public void Step(IEnumerable<Parameter<T>> parameters, int batchSize)
    {
        Parameter<T>[] all = parameters.ToArray();
        T[] gradients = all.Select(p => p.Gradient ?? throw new InvalidOperationException($"{p.Name} has no gradient: step before backward.")).ToArray();
        if (WeightDecay > 0)
        {
            // One batched scale for every parameter: on shares, one truncation round per step.
            if (Anchor is { } anchor && anchor.Count != all.Length)
            {
                throw new InvalidOperationException($"The anchor has {anchor.Count} values for {all.Length} parameters.");
            }
            T[] decay = backend.ScaleAll(all.Select((p, i) => Anchor is null ? p.Value : backend.Subtract(p.Value, Anchor[i])).ToArray(), WeightDecay * batchSize);
            gradients = gradients.Select((g, i) => backend.Add(g, decay[i])).ToArray();
        }
        T[] directions = gradients;
        if (Momentum > 0)
        {
            T[] velocities;
            if (all.All(p => p.Velocity is not null))
            {
                T[] decayed = backend.ScaleAll(all.Select(p => p.Velocity!).ToArray(), Momentum);
                velocities = decayed.Select((d, i) => backend.Add(d, gradients[i])).ToArray();
            }
            else
            {
                velocities = backend.ScaleAll(gradients, 1.0);
            }
            for (int i = 0; i < all.Length; i++)
            {
                all[i].Velocity?.Dispose();
                all[i].Velocity = backend.Keep(velocities[i]);
            }
            directions = velocities;
        }
        T[] updates = backend.ScaleAll(directions, LearningRate / batchSize);
        for (int i = 0; i < all.Length; i++)
        {
            T next = backend.Keep(backend.Subtract(all[i].Value, updates[i]));
            updates[i].Dispose();
            all[i].Value.Dispose();
            all[i].Value = next;
            all[i].Gradient = null;
        }
    }
}
