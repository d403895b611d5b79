using SecureCompute.Mpc.Approximations;
using SecureCompute.Mpc.Engine;
using SecureCompute.Mpc.Secret;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Tests;

/// <summary>
/// The public value ranges a secret tensor carries: every rule holds on fresh random values (the opened result lies in
/// the range derived for it), and a range is what lets a product keep 3f bits — only where it proves the ring safe.
/// </summary>
public sealed class SecretRangeTests
{
    [Fact]
    public void EveryOperationsRangeHoldsTheOpenedValues()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        var random = new Random(Environment.TickCount);
        for (int trial = 0; trial < 5; trial++)
        {
            double ba = 0.5 + 3 * random.NextDouble(), bb = 0.5 + 3 * random.NextDouble();
            Tensor a = rand(new long[] { 6, 4 }, ScalarType.Float64).mul(2 * ba).sub(ba);
            Tensor b = rand(new long[] { 4, 3 }, ScalarType.Float64).mul(2 * bb).sub(bb);
            SecretTensor x = SecretTensor.Share(mpc, a.shape, a, 0, ValueRange.Symmetric(ba));
            SecretTensor y = SecretTensor.Share(mpc, b.shape, b, 1, ValueRange.Symmetric(bb));
            SecretTensor xr = x.Slice(0, 0, 4).Reshape(4, 4).Slice(1, 0, 3);
            var results = new (string Name, SecretTensor Value)[]
            {
                ("x·y", x.MatMul(y)),
                ("x + x", x + x),
                ("x − x²", x - x * x),
                ("−x", -x),
                ("x²", x.Square()),
                ("Σ rows", x.Sum(0, keepDimension: true)),
                ("0.3·x", x.Scale(0.3)),
                ("x + 2", x.AddPublic(tensor(2.0))),
                ("σ(x·y)", x.MatMul(y).Sigmoid()),
                ("relu", x.Relu().Value),
                ("[x < 0]", x.IsNegative()),
                ("argmax", x.ArgmaxOneHot()),
                ("[x; y-shaped]", SecretTensor.Concatenate(new[] { xr, y }, 0)),
            };
            foreach ((string name, SecretTensor value) in results)
            {
                Assert.True(value.Range.IsKnown, $"{name}: no range");
                Tensor opened = value.OpenReal();
                double lo = opened.min().item<double>(), hi = opened.max().item<double>();
                Assert.True(lo >= value.Range.Lo - 1e-3 && hi <= value.Range.Hi + 1e-3, $"{name}: values [{lo}, {hi}] outside {value.Range}");
            }
        }
    }

    /// <summary>The series' bounds hold the approximation everywhere (a dense grid over and beyond its interval).</summary>
    [Theory]
    [InlineData(7)]
    [InlineData(15)]
    public void SeriesBoundsHoldTheApproximation(int degree)
    {
        ChebyshevApproximation sigmoid = ChebyshevApproximation.Fit("sigmoid", v => 1 / (1 + Math.Exp(-v)), -8, 8, degree);
        (double lower, double upper) = sigmoid.OutputBounds;
        for (double v = -20; v <= 20; v += 0.001)
        {
            double value = sigmoid.Evaluate(v);
            Assert.True(value >= lower && value <= upper, $"σ̃({v}) = {value} outside [{lower}, {upper}]");
        }
        Assert.True(lower > -0.5 && upper < 1.5, $"bounds [{lower}, {upper}] too loose to be of use");
    }

    /// <summary>
    /// σ(x·w) − y times standardised rows: a 3f product the ranges prove below 2^61, kept untruncated (one round);
    /// the same product with rows of no known range truncates the error first (two rounds). Both match float64.
    /// </summary>
    [Fact]
    public void ARangeThatProvesTheRingSafeKeepsThreeF()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        int f = mpc.Format.FractionalBits;
        int n = 64;
        double bound = Math.Sqrt(n - 1);
        Tensor rows = randn(new long[] { n, 5 }, ScalarType.Float64).clamp(-bound, bound);
        Tensor weights = randn(new long[] { 5, 1 }, ScalarType.Float64);
        Tensor labels = rand(new long[] { n, 1 }).ge(0.5).to_type(ScalarType.Float64);
        SecretTensor w = SecretTensor.Share(mpc, weights.shape, weights, 1);
        SecretTensor y = SecretTensor.ShareIntegers(mpc, labels.shape, labels, 2, ValueRange.Bit);
        Tensor expected = rows.t().matmul(rows.matmul(weights).sigmoid().sub(labels));
        foreach (bool known in new[] { true, false })
        {
            SecretTensor x = SecretTensor.Share(mpc, rows.shape, rows, 0, known ? ValueRange.Symmetric(bound) : null);
            SecretTensor error = x.MatMul(w).Sigmoid() - y;
            Assert.Equal(2 * f, error.FractionalBits);
            mpc.ResetCounters();
            SecretTensor gradient = x.Transpose().MatMul(error);
            Assert.Equal(known ? 1 : 2, mpc.Rounds);
            Assert.Equal(known ? 3 * f : 2 * f, gradient.FractionalBits);
            // σ̃ is within 1.3e-3 of σ; summed over 64 rows of |x| ≤ 8 the gradient may be off by 64·8·1.3e-3 ≈ 0.67.
            double gap = gradient.OpenReal().sub(expected).abs().max().item<double>();
            Assert.True(gap < 0.7, $"known range {known}: gradient off by {gap}");
        }
    }

    /// <summary>A range too wide for 3f (a huge batch) is no proof: the product truncates first.</summary>
    [Fact]
    public void ARangeTooWideForThreeFTruncatesFirst()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(2);
        int f = mpc.Format.FractionalBits;
        Tensor a = rand(new long[] { 4, 2 }, ScalarType.Float64);
        SecretTensor x = SecretTensor.Share(mpc, a.shape, a, 0, ValueRange.Symmetric(1e6));
        SecretTensor wide = SecretTensor.Share(mpc, a.shape, a, 1, ValueRange.Symmetric(1)).MatMul(SecretTensor.Share(mpc, new long[] { 2, 2 }, eye(2, dtype: ScalarType.Float64), 0));
        mpc.ResetCounters();
        SecretTensor product = x * wide;
        Assert.Equal(2, mpc.Rounds);
        Assert.Equal(2 * f, product.FractionalBits);
    }

    /// <summary>An owner whose values break the range it announces fails at sharing, naming the range, not a value.</summary>
    [Fact]
    public void AValueOutsideTheAnnouncedRangeIsRefusedByItsOwner()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(2);
        Tensor a = tensor(new[] { 0.5, 12.34567 });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SecretTensor.Share(mpc, a.shape, a, 0, ValueRange.Symmetric(3)));
        Assert.DoesNotContain("12.34", error.Message);
        Assert.Contains("[-3, 3]", error.Message);
    }
}
