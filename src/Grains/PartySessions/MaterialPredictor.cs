using SecureCompute.Grains.Interfaces.Dealing;

namespace SecureCompute.Grains.PartySessions;

/// <summary>
/// Guesses party n−1's next material request from the <see cref="Context"/> requests before it, as seen last time they
/// occurred: a training loop asks for the same sequence every step, so after the first step the guess is mostly right.
/// </summary>
/// <remarks>A wrong guess costs only a wasted deal: material is a function of (seed, sequence, request).</remarks>
internal sealed class MaterialPredictor
{
    /// <summary>How many preceding requests form the context (the sigmoid repeats short runs of equal requests).</summary>
    public const int Context = 4;

    private readonly Dictionary<string, MaterialOrder> successors = new();
    private readonly Queue<string> recent = new();

    /// <summary>Records that <paramref name="order"/> was requested.</summary>
    public void Observe(MaterialOrder order)
    {
        successors[Key()] = order;
        recent.Enqueue(Signature(order));
        if (recent.Count > Context)
        {
            recent.Dequeue();
        }
    }

    /// <summary>The likely next request (with the next sequence number), or null when this context is new.</summary>
    public MaterialOrder? Predict(long nextSequence) =>
        successors.TryGetValue(Key(), out MaterialOrder? next) ? next with { Sequence = nextSequence } : null;

    /// <summary>Whether two orders ask for the same piece.</summary>
    public static bool Same(MaterialOrder a, MaterialOrder b) =>
        a.Sequence == b.Sequence && a.Kind == b.Kind && a.Bits == b.Bits && a.ShapeA.SequenceEqual(b.ShapeA) && a.ShapeB.SequenceEqual(b.ShapeB);

    private string Key() => string.Join(";", recent);

    private static string Signature(MaterialOrder o) => $"{o.Kind}:{string.Join(",", o.ShapeA)}:{string.Join(",", o.ShapeB)}:{o.Bits}";
}
