using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Layers;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Training;
using SecureCompute.Mpc.Engine;
using SecureCompute.Mpc.Secret;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Tests.Privacy;

/// <summary>
/// DP-SGD's per-example clipping (<see cref="Sequential{T}.BackwardClipped"/>) against an independent reference: each
/// example's gradient from its own one-row backward pass, its norm over all parameters, clipped and summed — on fresh
/// random models and inputs, in float64 and on shares.
/// </summary>
public sealed class PerExampleClippingTests
{
    public static TheoryData<ModelKind, int> Models => new()
    {
        { ModelKind.Linear, 1 },
        { ModelKind.Logistic, 1 },
        { ModelKind.Softmax, 4 },
        { ModelKind.Mlp, 3 },
    };

    /// <summary>
    /// In float64 the clipped sum equals the per-example reference to rounding: both are sums of the same products in
    /// another order, so |Δ| ≤ 1e-9·(1 + |reference|) is generous (the terms are O(1), a dozen of them).
    /// </summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void ClippedSumEqualsEachExampleClippedAlone(ModelKind kind, int classes)
    {
        using var scope = NewDisposeScope();
        var backend = new PlaintextBackend();
        var random = new Random();
        const int rows = 12, features = 5;
        ModelSpec spec = Spec(kind, features, classes, random);
        Sequential<Tensor> model = ModelBuilder.Build(backend, spec);
        Randomise(backend, model);
        Tensor x = randn(rows, features, ScalarType.Float64);
        Tensor y = Targets(kind, rows, classes, random);

        (double[][] perExample, double[] norms) = PerExample(backend, model, kind, x, y);
        // C between the norms' quartiles: some examples are clipped, some are not.
        double[] sorted = norms.Order().ToArray();
        double clip = (sorted[rows / 4] + sorted[3 * rows / 4]) / 2;
        Assert.Contains(norms, n => n > clip);
        Assert.Contains(norms, n => n < clip);
        double[] expected = Sum(perExample, norms, clip);

        Tensor z = model.Forward(x);
        model.BackwardClipped(backend, ModelBuilder.Loss(backend, kind).Error(z, y), clip);
        double[] got = model.Parameters.SelectMany(p => backend.Release(p.Gradient!)).ToArray();
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++)
        {
            Assert.True(Math.Abs(got[i] - expected[i]) <= 1e-9 * (1 + Math.Abs(expected[i])), $"{kind} gradient[{i}]: clipped sum {got[i]:R}, reference {expected[i]:R}");
        }
    }

    /// <summary>
    /// On shares (3 simulated parties) against the float64 reference with the same approximations (sigmoid, softmax).
    /// Tolerance per coordinate: each example's clipped gradient is off by its factor's error (2^-12 relative + 2^-15
    /// absolute, the latter times its unclipped norm ‖G_i‖) plus the fixed-point error of its forward pass and error
    /// term (≤ 2^-9 for the approximations: SecretFunctionTests), times ‖[x_i, 1]‖; summed over the rows:
    /// Σ_i (2^-12·C + 2^-15·‖G_i‖ + 2^-9·‖[x_i, 1]‖). An MLP is left out here: a ReLU whose input lies within a unit of 0
    /// may flip, and one flipped unit moves its example's gradient by a whole term.
    /// </summary>
    [Theory]
    [InlineData(ModelKind.Logistic, 1)]
    [InlineData(ModelKind.Softmax, 4)]
    [InlineData(ModelKind.Linear, 1)]
    public void SharesMatchTheFloat64Reference(ModelKind kind, int classes)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        var twin = new PlaintextBackend(FunctionMode.Approximate);
        var secret = new SecretBackend(mpc);
        var random = new Random();
        const int rows = 16, features = 6;
        ModelSpec spec = Spec(kind, features, classes, random);
        Sequential<Tensor> plain = ModelBuilder.Build(twin, spec);
        Randomise(twin, plain);
        Sequential<SecretTensor> shared = SharedCopy(secret, spec, plain);
        Tensor x = rand(rows, features, ScalarType.Float64).mul(2).sub(1);
        Tensor y = Targets(kind, rows, classes, random);
        (double[][] perExample, double[] norms) = PerExample(twin, plain, kind, x, y);
        double clip = norms.Order().ElementAt(rows / 4);   // three quarters of the examples clipped
        double[] expected = Sum(perExample, norms, clip);

        SecretTensor xs = SecretTensor.Share(mpc, x.shape, x, 1, ValueRange.Symmetric(1));
        SecretTensor ys = kind == ModelKind.Linear
            ? SecretTensor.Share(mpc, y.shape, y, 2)
            : SecretTensor.ShareIntegers(mpc, y.shape, y, 2, ValueRange.Bit);
        SecretTensor z = shared.Forward(xs);
        shared.BackwardClipped(secret, ModelBuilder.Loss(secret, kind).Error(z, ys), clip);
        double[] got = shared.Parameters.SelectMany(p => secret.Release(p.Gradient!)).ToArray();

        double[] inputNorms = Enumerable.Range(0, rows).Select(r => Math.Sqrt(x[r].pow(2).sum().item<double>() + 1)).ToArray();
        double tolerance = Enumerable.Range(0, rows).Sum(r => Math.Pow(2, -12) * clip + Math.Pow(2, -15) * norms[r] + Math.Pow(2, -9) * inputNorms[r]);
        for (int i = 0; i < got.Length; i++)
        {
            Assert.True(Math.Abs(got[i] - expected[i]) <= tolerance, $"{kind} gradient[{i}]: on shares {got[i]:R}, reference {expected[i]:R} ± {tolerance:E2}");
        }
        // The clip did bind: the reference's clipped sum differs from the unclipped one.
        double[] unclipped = Sum(perExample, norms, double.PositiveInfinity);
        Assert.True(expected.Zip(unclipped).Max(p => Math.Abs(p.First - p.Second)) > 3 * tolerance, "the clip norm must bind for this test to say anything");
    }

    /// <summary>
    /// The clamped-error clip of one-output linear models (<see cref="Trainer{T}.ClampedError"/>) against the same
    /// per-example reference: in float64 to rounding (1e-9 relative, as above); on shares (3 parties) with the
    /// tolerance above less its clip-factor terms (the clamp is a sign, exact) plus the encoding of r/C and C/r
    /// (2^-16 each, times |e_i|·r_i ≤ ‖G_i‖ and C): Σ_i (2^-9·‖[x_i, 1]‖ + 2^-15·(‖G_i‖ + C)). The clip binds on
    /// three quarters of the rows.
    /// </summary>
    [Theory]
    [InlineData(ModelKind.Logistic)]
    [InlineData(ModelKind.Linear)]
    public void ClampedErrorsClipLikeTheReference(ModelKind kind)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        var twin = new PlaintextBackend(FunctionMode.Approximate);
        var secret = new SecretBackend(mpc);
        var random = new Random();
        const int rows = 16, features = 6;
        ModelSpec spec = Spec(kind, features, 1, random);
        Sequential<Tensor> plain = ModelBuilder.Build(twin, spec);
        Randomise(twin, plain);
        Assert.True(Trainer<Tensor>.ClampsErrors(plain));
        Sequential<SecretTensor> shared = SharedCopy(secret, spec, plain);
        Tensor x = rand(rows, features, ScalarType.Float64).mul(2).sub(1);
        Tensor y = Targets(kind, rows, 1, random);
        (double[][] perExample, double[] norms) = PerExample(twin, plain, kind, x, y);
        double clip = norms.Order().ElementAt(rows / 4);
        double[] expected = Sum(perExample, norms, clip);
        double[] inputNorms = Enumerable.Range(0, rows).Select(r => Math.Sqrt(x[r].pow(2).sum().item<double>() + 1)).ToArray();
        Tensor up = tensor(inputNorms.Select(r => r / clip).ToArray(), new long[] { rows, 1 });
        Tensor down = tensor(inputNorms.Select(r => clip / r).ToArray(), new long[] { rows, 1 });

        plain.Backward(Trainer<Tensor>.ClampedError(twin, ModelBuilder.Loss(twin, kind).Error(plain.Forward(x), y), up, down));
        double[] exact = plain.Parameters.SelectMany(p => twin.Release(p.Gradient!)).ToArray();
        for (int i = 0; i < exact.Length; i++)
        {
            Assert.True(Math.Abs(exact[i] - expected[i]) <= 1e-9 * (1 + Math.Abs(expected[i])), $"{kind} gradient[{i}]: clamped {exact[i]:R}, reference {expected[i]:R}");
        }

        SecretTensor xs = SecretTensor.Share(mpc, x.shape, x, 1, ValueRange.Symmetric(1));
        SecretTensor ys = kind == ModelKind.Linear ? SecretTensor.Share(mpc, y.shape, y, 2) : SecretTensor.ShareIntegers(mpc, y.shape, y, 2, ValueRange.Bit);
        SecretTensor ups = SecretTensor.Share(mpc, up.shape, up, 1), downs = SecretTensor.Share(mpc, down.shape, down, 1);
        shared.Backward(Trainer<SecretTensor>.ClampedError(secret, ModelBuilder.Loss(secret, kind).Error(shared.Forward(xs), ys), ups, downs));
        double[] got = shared.Parameters.SelectMany(p => secret.Release(p.Gradient!)).ToArray();
        double tolerance = Enumerable.Range(0, rows).Sum(r => Math.Pow(2, -9) * inputNorms[r] + Math.Pow(2, -15) * (norms[r] + clip));
        for (int i = 0; i < got.Length; i++)
        {
            Assert.True(Math.Abs(got[i] - expected[i]) <= tolerance, $"{kind} gradient[{i}]: on shares {got[i]:R}, reference {expected[i]:R} ± {tolerance:E2}");
        }
        double[] unclipped = Sum(perExample, norms, double.PositiveInfinity);
        Assert.True(expected.Zip(unclipped).Max(p => Math.Abs(p.First - p.Second)) > 3 * tolerance, "the clip norm must bind for this test to say anything");
    }

    /// <summary>Softmax and MLP models have no single error per row to clamp: they keep the norms and the clip factor.</summary>
    [Fact]
    public void OnlyOneOutputLinearModelsClampTheirErrors()
    {
        var backend = new PlaintextBackend();
        var random = new Random();
        Assert.False(Trainer<Tensor>.ClampsErrors(ModelBuilder.Build(backend, Spec(ModelKind.Softmax, 4, 3, random))));
        Assert.False(Trainer<Tensor>.ClampsErrors(ModelBuilder.Build(backend, Spec(ModelKind.Mlp, 4, 3, random))));
    }

    [Fact]
    public void AClipNormThatIsNotPositiveIsRefused()
    {
        using var scope = NewDisposeScope();
        var backend = new PlaintextBackend();
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.ClipFactors(ones(3, 1, ScalarType.Float64), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.ClipFactors(ones(3, 1, ScalarType.Float64), double.NaN));
    }

    private static ModelSpec Spec(ModelKind kind, int features, int classes, Random random) =>
        new(kind, features, classes, kind == ModelKind.Mlp ? new[] { 7, 4 } : Array.Empty<int>(), random.Next());

    /// <summary>The model of <paramref name="spec"/> on shares, with <paramref name="plain"/>'s parameters.</summary>
    private static Sequential<SecretTensor> SharedCopy(SecretBackend secret, ModelSpec spec, Sequential<Tensor> plain)
    {
        Sequential<SecretTensor> shared = ModelBuilder.Build(secret, spec);
        for (int i = 0; i < plain.Parameters.Count; i++)
        {
            shared.Parameters[i].Value.Dispose();
            shared.Parameters[i].Value = secret.Keep(secret.Constant(plain.Parameters[i].Value));
        }
        return shared;
    }

    private static void Randomise(PlaintextBackend backend, Sequential<Tensor> model)
    {
        foreach (Parameter<Tensor> p in model.Parameters)
        {
            p.Value = backend.Keep(randn(p.Value.shape, ScalarType.Float64).mul(0.7));
        }
    }

    /// <summary>The reference: each row's own forward and (unclipped) backward pass, its flattened gradient and its norm.</summary>
    private static (double[][] Gradients, double[] Norms) PerExample(PlaintextBackend backend, Sequential<Tensor> model, ModelKind kind, Tensor x, Tensor y)
    {
        int rows = (int)x.shape[0];
        var gradients = new double[rows][];
        for (int r = 0; r < rows; r++)
        {
            using var scope = NewDisposeScope();
            Tensor z = model.Forward(x.narrow(0, r, 1));
            model.Backward(ModelBuilder.Loss(backend, kind).Error(z, y.narrow(0, r, 1)));
            gradients[r] = model.Parameters.SelectMany(p => backend.Release(p.Gradient!)).ToArray();
        }
        return (gradients, gradients.Select(g => Math.Sqrt(g.Sum(v => v * v))).ToArray());
    }

    private static double[] Sum(double[][] gradients, double[] norms, double clip)
    {
        var total = new double[gradients[0].Length];
        for (int r = 0; r < gradients.Length; r++)
        {
            double factor = Math.Min(1, clip / norms[r]);
            for (int i = 0; i < total.Length; i++)
            {
                total[i] += factor * gradients[r][i];
            }
        }
        return total;
    }

    private static Tensor Targets(ModelKind kind, int rows, int classes, Random random)
    {
        switch (kind)
        {
            case ModelKind.Linear:
                return randn(rows, 1, ScalarType.Float64);
            case ModelKind.Logistic:
                return tensor(Enumerable.Range(0, rows).Select(_ => (double)random.Next(2)).ToArray(), new long[] { rows, 1 });
            default:
                var values = new double[rows * classes];
                for (int r = 0; r < rows; r++)
                {
                    values[r * classes + random.Next(classes)] = 1;
                }
                return tensor(values, new long[] { rows, classes });
        }
    }
}
