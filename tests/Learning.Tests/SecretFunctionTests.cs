using SecureCompute.Learning.Backends;
using SecureCompute.Mpc.Secret;
using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Tests;

/// <summary>
/// The secret tensor's functions against independent float64 references on fresh random inputs (3 simulated parties),
/// and the scale rules' round counts.
/// </summary>
public sealed class SecretFunctionTests
{
    private const double Unit = 1.0 / (1 << 16);

    /// <summary>
    /// Softmax over 10 classes against the same approximation in float64 (clipped Chebyshev exp, exact division):
    /// the reciprocal's documented error 2^-12·(1/s) + 2^-15 relative to p ≤ 1, plus the exp's fixed-point evaluation
    /// error (≤ 2^-10, ApproximationTests) times 1/s ≤ 1, gives |Δp| ≤ 2^-12 + 2^-15 + 2^-10 &lt; 1.5e-3.
    /// Against exact softmax the exp series' own error on [−16, 0] adds at most 1e-3 per entry, hence 3e-3.
    /// </summary>
    [Fact]
    public void SoftmaxMatchesFloat64()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        Tensor logits = rand(new long[] { 40, 10 }, ScalarType.Float64).mul(12).sub(6);
        SecretTensor x = SecretTensor.Share(mpc, logits.shape, logits, 1);
        using Tensor secret = x.Softmax().OpenReal();
        using Tensor approximate = new PlaintextBackend(FunctionMode.Approximate).Softmax(logits);
        using Tensor exact = logits.softmax(1);
        double vsApproximate = secret.sub(approximate).abs().max().item<double>();
        double vsExact = secret.sub(exact).abs().max().item<double>();
        Assert.True(vsApproximate < 1.5e-3, $"softmax vs the same approximation in float64: max |Δ| = {vsApproximate}");
        Assert.True(vsExact < 3e-3, $"softmax vs exact: max |Δ| = {vsExact}");
        double rowSums = secret.sum(1).sub(1).abs().max().item<double>();
        Assert.True(rowSums < 1e-2, $"softmax rows sum to 1 within 1e-2, off by {rowSums}");
    }

    /// <summary>Argmax one-hot equals the exact argmax when the row's top two differ by more than the fixed-point unit.</summary>
    [Fact]
    public void ArgmaxOneHotMarksTheLargestEntry()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        Tensor logits = randn(new long[] { 64, 7 }, ScalarType.Float64).mul(3);
        SecretTensor x = SecretTensor.Share(mpc, logits.shape, logits, 0);
        SecretTensor oneHot = x.ArgmaxOneHot();
        Assert.Equal(0, oneHot.FractionalBits);
        double[] opened = oneHot.OpenReal().contiguous().data<double>().ToArray();
        long[] expected = logits.argmax(1).data<long>().ToArray();
        double[] values = logits.contiguous().data<double>().ToArray();
        for (int r = 0; r < 64; r++)
        {
            double[] row = values[(r * 7)..((r + 1) * 7)];
            double[] sorted = row.OrderDescending().ToArray();
            if (sorted[0] - sorted[1] < 4 * Unit)
            {
                continue;   // a near tie: either answer is right at this precision
            }
            for (int c = 0; c < 7; c++)
            {
                Assert.Equal(c == expected[r] ? 1.0 : 0.0, opened[r * 7 + c]);
            }
        }
    }

    /// <summary>Round counts over 10 classes: argmax 8 + ⌈log2 9⌉ = 12; softmax 52 (the target: ≤ 60).</summary>
    [Fact]
    public void SoftmaxAndArgmaxRoundsOverTenClasses()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        Tensor logits = randn(new long[] { 4, 10 }, ScalarType.Float64);
        SecretTensor x = SecretTensor.Share(mpc, logits.shape, logits, 0);
        mpc.ResetCounters();
        _ = x.ArgmaxOneHot();
        Assert.Equal(12, mpc.Rounds);
        mpc.ResetCounters();
        _ = x.Softmax();
        Assert.Equal(52, mpc.Rounds);
    }

    /// <summary>Equal maxima: exactly one column wins, the first.</summary>
    [Fact]
    public void ArgmaxOfEqualEntriesMarksTheFirst()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        Tensor logits = tensor(new[] { 1.0, 3.0, 3.0, -2.0, 0.5, 0.5, 0.5, 0.5 }, new long[] { 2, 4 });
        SecretTensor x = SecretTensor.Share(mpc, logits.shape, logits, 2);
        Assert.Equal(new[] { 0.0, 1, 0, 0, 1, 0, 0, 0 }, x.ArgmaxOneHot().OpenReal().contiguous().data<double>().ToArray());
        Assert.Equal(new[] { 3.0, 0.5 }, x.RowMax().OpenReal().contiguous().data<double>().ToArray());
    }

    /// <summary>ReLU's value within one unit of max(x, 0) (its product is exact: the mask is an integer), and its mask exactly [x ≥ 0].</summary>
    [Fact]
    public void ReluAndItsMaskMatchFloat64()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(2);
        Tensor values = randn(new long[] { 30, 5 }, ScalarType.Float64).mul(4);
        SecretTensor x = SecretTensor.Share(mpc, values.shape, values, 0);
        (SecretTensor value, SecretTensor mask) = x.Relu();
        Assert.Equal(x.FractionalBits, value.FractionalBits);
        double error = value.OpenReal().sub(values.relu()).abs().max().item<double>();
        Assert.True(error <= Unit, $"ReLU off by {error}");
        Assert.Equal(values.ge(zeros_like(values)).to_type(ScalarType.Float64).contiguous().data<double>().ToArray(), mask.OpenReal().contiguous().data<double>().ToArray());
    }

    /// <summary>The type decides truncations: x·w is left at 2f (1 round), σ of it folds the truncation (18 rounds), and a third factor truncates first.</summary>
    [Fact]
    public void ProductsCarryTheirScaleAndFunctionsFoldIt()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        int f = mpc.Format.FractionalBits;
        Tensor a = randn(new long[] { 8, 4 }, ScalarType.Float64);
        Tensor b = randn(new long[] { 4, 1 }, ScalarType.Float64);
        SecretTensor x = SecretTensor.Share(mpc, a.shape, a, 0);
        SecretTensor w = SecretTensor.Share(mpc, b.shape, b, 1);
        mpc.ResetCounters();
        SecretTensor product = x.MatMul(w);
        Assert.Equal(1, mpc.Rounds);
        Assert.Equal(2 * f, product.FractionalBits);
        SecretTensor sigmoid = product.Sigmoid();
        Assert.Equal(1 + 17, mpc.Rounds);                 // the product's truncation folded into the map, the sum's left for the next product
        Assert.Equal(2 * f, sigmoid.FractionalBits);
        double error = sigmoid.OpenReal().sub(a.matmul(b).sigmoid()).abs().max().item<double>();
        Assert.True(error < 2e-3, $"σ(x·w) off by {error}");
        mpc.ResetCounters();
        SecretTensor again = product * product;   // 4f would overflow: each factor truncated first
        Assert.Equal(3, mpc.Rounds);
        Assert.Equal(2 * f, again.FractionalBits);
        double squareError = again.OpenReal().sub(a.matmul(b).square()).abs().max().item<double>();
        Assert.True(squareError < 1e-3, $"(x·w)² off by {squareError}");
    }

    /// <summary>Sums align scales by a free lift: p(2f) − y(f) costs no round.</summary>
    [Fact]
    public void SumsLiftTheNarrowerScaleForFree()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(2);
        Tensor a = randn(new long[] { 6, 3 }, ScalarType.Float64);
        Tensor b = randn(new long[] { 6, 3 }, ScalarType.Float64);
        SecretTensor x = SecretTensor.Share(mpc, a.shape, a, 0);
        SecretTensor y = SecretTensor.Share(mpc, b.shape, b, 1);
        SecretTensor wide = x * y;
        mpc.ResetCounters();
        SecretTensor difference = wide - y;
        Assert.Equal(0, mpc.Rounds);
        double error = difference.OpenReal().sub(a.mul(b).sub(b)).abs().max().item<double>();
        Assert.True(error < 4 * Unit, $"x⊙y − y off by {error}");
    }
}
