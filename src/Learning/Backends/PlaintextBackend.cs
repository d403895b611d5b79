using SecureCompute.Learning.Privacy;
using SecureCompute.Mpc.Approximations;
using SecureCompute.Mpc.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Backends;

/// <summary>
/// The backend in plaintext float64 (TorchSharp, CPU): the fidelity twin of a secret program. With
/// <see cref="FunctionMode.Approximate"/> it evaluates the same approximations the secret backend does (clipped
/// Chebyshev sigmoid and exp); with <see cref="FunctionMode.Exact"/> the exact functions, as a plaintext baseline.
/// </summary>
/// <param name="functions">Exact functions or the secret backend's approximations.</param>
/// <param name="sigmoid">The sigmoid approximation of <see cref="FunctionMode.Approximate"/> (default: degree 15 on [−8, 8]).</param>
/// <param name="noise">DP noise holding every party's seed (DP-SGD only): the plaintext twin adds the total the parties
/// would, in ring units at <paramref name="fractionalBits"/> bits — the secret run's noise itself when the seeds are its own.</param>
/// <param name="fractionalBits">The fixed-point scale the noise is drawn at (the secret engine's f).</param>
public sealed class PlaintextBackend(FunctionMode functions = FunctionMode.Exact, ChebyshevApproximation? sigmoid = null, PartyNoise? noise = null,
    int fractionalBits = 16) : IBackend<Tensor>
{
    private readonly ChebyshevApproximation sigmoid = sigmoid ?? ChebyshevApproximation.Sigmoid;

    /// <summary>Which non-linear functions this backend evaluates.</summary>
    public FunctionMode Functions { get; } = functions;

    /// <inheritdoc />
    public long[] Shape(Tensor a) => a.shape;

    /// <inheritdoc />
    public Tensor MatMul(Tensor a, Tensor b) => a.matmul(b);

    /// <inheritdoc />
    public Tensor Transpose(Tensor a) => a.t().contiguous();

    /// <inheritdoc />
    public Tensor Add(Tensor a, Tensor b) => a.add(b);

    /// <inheritdoc />
    public Tensor Subtract(Tensor a, Tensor b) => a.sub(b);

    /// <inheritdoc />
    public Tensor Multiply(Tensor a, Tensor b) => a.mul(b);

    /// <inheritdoc />
    public Tensor Negate(Tensor a) => a.neg();

    /// <inheritdoc />
    public Tensor Scale(Tensor a, double factor) => a.Times(factor);

    /// <inheritdoc />
    public Tensor AddScalar(Tensor a, double value) => a.add(full(a.shape, value, ScalarType.Float64));

    /// <inheritdoc />
    public Tensor[] ScaleAll(IReadOnlyList<Tensor> values, double factor) => values.Select(v => v.Times(factor)).ToArray();

    /// <inheritdoc />
    public Tensor[] AddNoise(IReadOnlyList<Tensor> values, double standardDeviation)
    {
        PartyNoise source = noise ?? throw new InvalidOperationException("This backend has no noise source: a DP twin is given every party's noise.");
        double unit = Math.Pow(2, -fractionalBits);
        return values.Select(v =>
        {
            long[] total = source.DrawTotal(v.numel(), standardDeviation, fractionalBits);
            using Tensor integers = tensor(total, v.shape);
            using Tensor real = integers.to_type(ScalarType.Float64).mul(unit);
            return v.add(real);
        }).ToArray();
    }

    /// <inheritdoc />
    public Tensor AppendOnes(Tensor a) => cat(new[] { a, ones(a.shape[0], 1, ScalarType.Float64) }, 1);

    /// <inheritdoc />
    public Tensor SliceRows(Tensor a, long start, long count) => a.narrow(0, start, count);

    /// <inheritdoc />
    public Tensor ConcatenateRows(IReadOnlyList<Tensor> parts) => cat(parts.ToArray(), 0);

    /// <inheritdoc />
    public Tensor SumRows(Tensor a) => a.sum(0, keepdim: true);

    /// <inheritdoc />
    public Tensor Total(Tensor a) => a.sum().reshape(1, 1);

    /// <inheritdoc />
    public Tensor SumOfSquares(Tensor a) => a.mul(a).sum().reshape(1, 1);

    /// <inheritdoc />
    public Tensor RowSumOfSquares(Tensor a) => a.mul(a).sum(1, keepdim: true);

    /// <inheritdoc />
    /// <remarks>Exact in both function modes: the secret inverse square root's error (≤ 2^-12 relative) is below what
    /// a twin comparison resolves, and the sensitivity the accountant uses allows for it (docs/privacy.md).</remarks>
    public Tensor ClipFactors(Tensor squaredNorms, double clipNorm)
    {
        if (!(clipNorm > 0) || !double.IsFinite(clipNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(clipNorm), clipNorm, "The clip norm must be a positive number.");
        }
        using Tensor norms = squaredNorms.clamp_min(0).sqrt();
        using Tensor ratio = norms.reciprocal().mul(clipNorm);
        return ratio.clamp_max(1.0);
    }

    /// <inheritdoc />
    public Tensor MultiplyRows(Tensor a, Tensor factors) => a.mul(factors);

    /// <inheritdoc />
    public (Tensor Value, Tensor Mask) Relu(Tensor x)
    {
        Tensor mask = x.AtLeast(0.0).to_type(ScalarType.Float64);
        return (x.mul(mask), mask);
    }

    /// <inheritdoc />
    public Tensor Sigmoid(Tensor x) => Functions == FunctionMode.Exact ? x.sigmoid() : Map(x, sigmoid);

    /// <inheritdoc />
    public Tensor Softmax(Tensor x)
    {
        if (Functions == FunctionMode.Exact)
        {
            return x.softmax(1);
        }
        Tensor shifted = x.sub(x.max(1, keepdim: true).values);
        Tensor exp = Map(shifted, ChebyshevApproximation.ExpNonPositive);
        return exp.div(exp.sum(1, keepdim: true));
    }

    /// <inheritdoc />
    public Tensor ArgmaxOneHot(Tensor x) => x.sub(x.max(1, keepdim: true).values).AtLeast(0.0).to_type(ScalarType.Float64);

    /// <inheritdoc />
    public Tensor Rows(Tensor x, long[] rows) => x.index_select(0, tensor(rows));

    /// <inheritdoc />
    public Tensor Constant(Tensor real) => real.to_type(ScalarType.Float64).clone();

    /// <inheritdoc />
    public double[] Release(Tensor x) => x.contiguous().data<double>().ToArray();

    /// <inheritdoc />
    public Tensor Keep(Tensor x) => x.MoveToOuterDisposeScope();

    /// <summary>A clipped Chebyshev approximation, element by element (as the secret backend evaluates it).</summary>
    private static Tensor Map(Tensor x, ChebyshevApproximation approximation)
    {
        double[] values = x.contiguous().data<double>().ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = approximation.Evaluate(values[i]);
        }
        return tensor(values, x.shape);
    }
}
