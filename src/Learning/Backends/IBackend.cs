using static TorchSharp.torch;

namespace SecureCompute.Learning.Backends;

/// <summary>
/// The tensor operations a learning program uses, on secret shares (<see cref="SecretBackend"/>) or on plaintext
/// float64 (<see cref="PlaintextBackend"/>): a model written once against it runs as the secret program and as its
/// own fidelity twin.
/// </summary>
/// <typeparam name="T">The backend's tensor type.</typeparam>
/// <remarks>Matrices are [rows, columns]; a bias is a [1, k] row broadcast over the rows.</remarks>
public interface IBackend<T>
    where T : class, IDisposable
{
    /// <summary>The shape of <paramref name="a"/> (public).</summary>
    long[] Shape(T a);

    /// <summary>a · b.</summary>
    T MatMul(T a, T b);

    /// <summary>aᵀ.</summary>
    T Transpose(T a);

    /// <summary>a + b, b broadcast (e.g. a [1, k] bias).</summary>
    T Add(T a, T b);

    /// <summary>a − b, b broadcast.</summary>
    T Subtract(T a, T b);

    /// <summary>a ⊙ b element-wise.</summary>
    T Multiply(T a, T b);

    /// <summary>−a.</summary>
    T Negate(T a);

    /// <summary>a·c for a public real c.</summary>
    T Scale(T a, double factor);

    /// <summary>a + c for a public real c.</summary>
    T AddScalar(T a, double value);

    /// <summary>
    /// a·c for each of <paramref name="values"/> and one public real c — batched: on shares one truncation round per
    /// scale wider than f and one multiply round for them all, whatever their number (an optimizer's step).
    /// </summary>
    T[] ScaleAll(IReadOnlyList<T> values, double factor);

    /// <summary>[a, 1]: a column of ones appended ([n, k] → [n, k + 1]), so that one product also sums the rows.</summary>
    T AppendOnes(T a);

    /// <summary><paramref name="count"/> rows from <paramref name="start"/>.</summary>
    T SliceRows(T a, long start, long count);

    /// <summary>Tensors with the same columns stacked by rows.</summary>
    T ConcatenateRows(IReadOnlyList<T> parts);

    /// <summary>Column sums: [n, k] → [1, k].</summary>
    T SumRows(T a);

    /// <summary>The sum of every entry, as a [1, 1] tensor.</summary>
    T Total(T a);

    /// <summary>Σ a², as a [1, 1] tensor.</summary>
    T SumOfSquares(T a);

    /// <summary>Σ_j a_ij² for each row: [n, k] → [n, 1] (a per-example squared norm).</summary>
    T RowSumOfSquares(T a);

    /// <summary>
    /// min(1, C/√n) for squared norms n ≥ 0 ([n, 1]): the factors that clip each example's gradient to L2 norm C.
    /// On shares an inverse square root (31 rounds) whose error is bounded but not zero, and a norm too large to
    /// normalise gets 0 (the example dropped); in plaintext exact.
    /// </summary>
    T ClipFactors(T squaredNorms, double clipNorm);

    /// <summary>a_ij · s_i: each row scaled by its own factor ([n, k] and [n, 1]).</summary>
    T MultiplyRows(T a, T factors);

    /// <summary>
    /// Each of <paramref name="values"/> plus independent Gaussian noise of standard deviation
    /// <paramref name="standardDeviation"/> per entry. On shares, each hosted party adds integer (discrete Gaussian)
    /// noise to its own share from its own seed, at f bits (values wider than f truncated first: one round per scale),
    /// so that the honest parties' part alone has this deviation (<see cref="Privacy.PartyNoise"/>); in plaintext the
    /// same noise summed over the parties, or fresh noise of the same distribution.
    /// </summary>
    T[] AddNoise(IReadOnlyList<T> values, double standardDeviation);

    /// <summary>max(x, 0) and the mask [x ≥ 0] its backward pass uses.</summary>
    (T Value, T Mask) Relu(T x);

    /// <summary>σ(x).</summary>
    T Sigmoid(T x);

    /// <summary>Softmax over each row.</summary>
    T Softmax(T x);

    /// <summary>A one-hot row per row marking its largest entry.</summary>
    T ArgmaxOneHot(T x);

    /// <summary>The rows at public indices.</summary>
    T Rows(T x, long[] rows);

    /// <summary>A public value (every party knows it: an initial weight from a public seed).</summary>
    T Constant(Tensor real);

    /// <summary>Opens <paramref name="x"/> to every party (a release) and decodes it.</summary>
    double[] Release(T x);

    /// <summary>Lets <paramref name="x"/> outlive the current dispose scope (a parameter kept across steps).</summary>
    T Keep(T x);
}
