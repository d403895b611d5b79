using SecureCompute.Learning.Privacy;
using SecureCompute.Mpc.Approximations;
using SecureCompute.Mpc.Sharing;
using SecureCompute.Mpc.Secret;
using SecureCompute.Mpc.Engine;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Backends;

/// <summary>The backend on secret shares: every operation is a <see cref="SecretTensor"/> operation of one engine.</summary>
/// <remarks>Truncations are the tensor type's (<see cref="SecretTensor"/>); a program never states a scale.</remarks>
/// <param name="engine">The engine.</param>
/// <param name="sigmoid">The sigmoid approximation (default: degree 15 on [−8, 8]).</param>
/// <param name="noise">The hosted parties' DP noise (DP-SGD only; null: <see cref="AddNoise"/> refuses).</param>
public sealed class SecretBackend(MpcEngine engine, ChebyshevApproximation? sigmoid = null, PartyNoise? noise = null) : IBackend<SecretTensor>
{
    private readonly ChebyshevApproximation sigmoid = sigmoid ?? ChebyshevApproximation.Sigmoid;

    /// <summary>The engine (the simulator's parties, or one party's in a deployment).</summary>
    public MpcEngine Engine { get; } = engine;

    /// <summary>Called after every release with what was opened: its number of elements.</summary>
    public event Action<int>? Released;

    /// <inheritdoc />
    public long[] Shape(SecretTensor a) => a.Shape;

    /// <inheritdoc />
    public SecretTensor MatMul(SecretTensor a, SecretTensor b) => a.MatMul(b);

    /// <inheritdoc />
    public SecretTensor Transpose(SecretTensor a) => a.Transpose();

    /// <inheritdoc />
    public SecretTensor Add(SecretTensor a, SecretTensor b) => a + Broadcast(b, a.Shape);

    /// <inheritdoc />
    public SecretTensor Subtract(SecretTensor a, SecretTensor b) => a - Broadcast(b, a.Shape);

    /// <inheritdoc />
    public SecretTensor Multiply(SecretTensor a, SecretTensor b) => a * b;

    /// <inheritdoc />
    public SecretTensor Negate(SecretTensor a) => -a;

    /// <inheritdoc />
    public SecretTensor Scale(SecretTensor a, double factor) => a.Scale(factor);

    /// <inheritdoc />
    public SecretTensor AddScalar(SecretTensor a, double value) => a.AddPublic(tensor(value));

    /// <inheritdoc />
    /// <remarks>Every value flattened; those of one scale wider than f truncated together (one round per scale), then
    /// all of them scaled at once (one round).</remarks>
    public SecretTensor[] ScaleAll(IReadOnlyList<SecretTensor> values, double factor)
    {
        var flat = values.Select(v => v.Reshape(1, -1)).ToArray();
        SecretTensor[] normal = NormaliseAll(flat);
        using SecretTensor all = SecretTensor.Concatenate(normal, 1);
        using SecretTensor scaled = all.Scale(factor);
        var result = new SecretTensor[values.Count];
        long start = 0;
        for (int i = 0; i < values.Count; i++)
        {
            long n = flat[i].Shape[1];
            using SecretTensor part = scaled.Slice(1, start, n);
            result[i] = part.Reshape(values[i].Shape);
            start += n;
        }
        return result;
    }

    /// <inheritdoc />
    /// <remarks>One truncation round per scale wider than f among the values (none at f), then local: each hosted
    /// party adds its own noise to its own share. Nothing is opened; no party learns another's noise.</remarks>
    public SecretTensor[] AddNoise(IReadOnlyList<SecretTensor> values, double standardDeviation)
    {
        PartyNoise source = noise ?? throw new InvalidOperationException("This backend has no noise source: a DP program gives it each hosted party's noise.");
        int f = Engine.Format.FractionalBits;
        SecretTensor[] normal = NormaliseAll(values);
        var result = new SecretTensor[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            long count = normal[i].Shape.Aggregate(1L, (a, b) => a * b);
            var shares = normal[i].Shares.Shares.Select(share =>
            {
                using Tensor own = tensor(source.Draw(share.Party, count, standardDeviation, f), normal[i].Shape).to(Engine.Device);
                return new ShareTensor(share.Party, share.Value.add(own));
            }).ToArray();
            result[i] = SecretTensor.FromShares(Engine, new SharedTensor(shares), f);
            normal[i].Dispose();
        }
        return result;
    }

    /// <summary>Each value at f bits: those of one wider scale truncated together (one round per scale).</summary>
    private SecretTensor[] NormaliseAll(IReadOnlyList<SecretTensor> values)
    {
        int f = Engine.Format.FractionalBits;
        var flat = values.Select(v => v.Reshape(1, -1)).ToArray();
        var normal = new SecretTensor[flat.Length];
        foreach (var group in Enumerable.Range(0, flat.Length).GroupBy(i => flat[i].FractionalBits))
        {
            int[] members = group.ToArray();
            if (group.Key == f)
            {
                foreach (int i in members)
                {
                    normal[i] = flat[i];
                }
                continue;
            }
            using SecretTensor joined = SecretTensor.Concatenate(members.Select(i => flat[i]).ToArray(), 1);
            using SecretTensor atF = joined.Normalised();
            long offset = 0;
            foreach (int i in members)
            {
                normal[i] = atF.Slice(1, offset, flat[i].Shape[1]);
                offset += flat[i].Shape[1];
            }
        }
        return normal.Select((v, i) => v.Reshape(values[i].Shape)).ToArray();
    }

    /// <inheritdoc />
    public SecretTensor AppendOnes(SecretTensor a)
    {
        using SecretTensor column = SecretTensor.Public(Engine, ones(a.Shape[0], 1, ScalarType.Float64));
        return SecretTensor.Concatenate(new[] { a, column }, 1);
    }

    /// <inheritdoc />
    public SecretTensor SliceRows(SecretTensor a, long start, long count) => a.Slice(0, start, count);

    /// <inheritdoc />
    public SecretTensor ConcatenateRows(IReadOnlyList<SecretTensor> parts) => SecretTensor.Concatenate(parts, 0);

    /// <inheritdoc />
    public SecretTensor SumRows(SecretTensor a) => a.Sum(0, keepDimension: true);

    /// <inheritdoc />
    public SecretTensor Total(SecretTensor a) => a.Reshape(1, -1).Sum(1, keepDimension: true);

    /// <inheritdoc />
    /// <remarks>At f bits first (a truncation when wider), then one square: 2 rounds at most.</remarks>
    public SecretTensor SumOfSquares(SecretTensor a)
    {
        using SecretTensor normal = a.Normalised();
        using SecretTensor squares = normal.Square();
        return squares.Reshape(1, -1).Sum(1, keepDimension: true);
    }

    /// <inheritdoc />
    /// <remarks>At f bits first (a truncation when wider), then one square.</remarks>
    public SecretTensor RowSumOfSquares(SecretTensor a)
    {
        using SecretTensor normal = a.Normalised();
        using SecretTensor squares = normal.Square();
        return squares.Sum(1, keepDimension: true);
    }

    /// <inheritdoc />
    public SecretTensor ClipFactors(SecretTensor squaredNorms, double clipNorm) => squaredNorms.ClipFactor(clipNorm);

    /// <inheritdoc />
    public SecretTensor MultiplyRows(SecretTensor a, SecretTensor factors)
    {
        using SecretTensor spread = factors.Expand(a.Shape);
        return a * spread;
    }

    /// <inheritdoc />
    public (SecretTensor Value, SecretTensor Mask) Relu(SecretTensor x) => x.Relu();

    /// <inheritdoc />
    public SecretTensor Sigmoid(SecretTensor x) => x.Sigmoid(sigmoid);

    /// <inheritdoc />
    public SecretTensor Softmax(SecretTensor x) => x.Softmax();

    /// <inheritdoc />
    public SecretTensor ArgmaxOneHot(SecretTensor x) => x.ArgmaxOneHot();

    /// <inheritdoc />
    public SecretTensor Rows(SecretTensor x, long[] rows) => x.Gather(0, tensor(rows));

    /// <inheritdoc />
    public SecretTensor Constant(Tensor real) => SecretTensor.Public(Engine, real);

    /// <inheritdoc />
    public double[] Release(SecretTensor x)
    {
        using Tensor opened = x.OpenReal();
        double[] values = opened.contiguous().data<double>().ToArray();
        Released?.Invoke(values.Length);
        return values;
    }

    /// <inheritdoc />
    public SecretTensor Keep(SecretTensor x)
    {
        foreach (var share in x.Shares.Shares)
        {
            share.Value.MoveToOuterDisposeScope();
        }
        return x;
    }

    private static SecretTensor Broadcast(SecretTensor b, long[] shape) => b.Shape.SequenceEqual(shape) ? b : b.Expand(shape);
}
