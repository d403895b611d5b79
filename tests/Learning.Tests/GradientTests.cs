using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Layers;
using SecureCompute.Learning.Losses;
using SecureCompute.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Tests;

/// <summary>
/// Every layer's backward pass against central finite differences of the loss, in plaintext float64 with exact
/// functions, on fresh random inputs.
/// </summary>
/// <remarks>
/// Tolerance: a central difference with step h has truncation error O(h²·|L'''|) ≈ 1e-10 here and rounding error
/// ≈ ε·|L| / h ≈ 1e-11 (ε = 2^-52, h = 1e-5), so |analytic − numeric| ≤ 1e-6 + 1e-5·|numeric| has a wide margin; a
/// ReLU input within h of 0 would break the difference, and fresh Gaussian inputs land there with probability ≈ 1e-5.
/// </remarks>
public sealed class GradientTests
{
    private readonly PlaintextBackend backend = new();

    public static TheoryData<ModelKind, int> Models => new()
    {
        { ModelKind.Linear, 1 },
        { ModelKind.Logistic, 1 },
        { ModelKind.Softmax, 4 },
        { ModelKind.Mlp, 3 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void BackwardMatchesFiniteDifferences(ModelKind kind, int classes)
    {
        using var scope = NewDisposeScope();
        var random = new Random();
        int rows = 6, features = 5;
        var spec = new ModelSpec(kind, features, classes, kind == ModelKind.Mlp ? new[] { 7, 4 } : Array.Empty<int>(), random.Next());
        Sequential<Tensor> model = ModelBuilder.Build(backend, spec);
        // Start away from zero so that every weight's gradient is informative.
        foreach (Parameter<Tensor> p in model.Parameters)
        {
            p.Value = randn(p.Value.shape, ScalarType.Float64).MoveToOuterDisposeScope();
        }
        Tensor x = randn(rows, features, ScalarType.Float64);
        Tensor y = Targets(kind, rows, classes, random);

        Tensor z = model.Forward(x);
        Tensor error = ModelBuilder.Loss(backend, kind).Error(z, y);
        model.Backward(error);
        foreach (Parameter<Tensor> p in model.Parameters)
        {
            double[] analytic = p.Gradient!.contiguous().data<double>().ToArray();
            double[] value = p.Value.contiguous().data<double>().ToArray();
            for (int i = 0; i < value.Length; i++)
            {
                double numeric = Difference(model, p, value, i, x, y, kind);
                Assert.True(Math.Abs(analytic[i] - numeric) <= 1e-6 + 1e-5 * Math.Abs(numeric),
                    $"{kind} {p.Name}[{i}]: backward {analytic[i]}, finite difference {numeric}");
            }
        }
    }

    [Fact]
    public void SigmoidLayerBackwardMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var layer = new Sigmoid<Tensor>(backend);
        Tensor x = randn(4, 3, ScalarType.Float64);
        Tensor upstream = randn(4, 3, ScalarType.Float64);
        _ = layer.Forward(x);
        double[] analytic = layer.Backward(upstream, true)!.contiguous().data<double>().ToArray();
        double[] xs = x.contiguous().data<double>().ToArray();
        double[] g = upstream.contiguous().data<double>().ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            const double h = 1e-5;
            double numeric = g[i] * (Sigma(xs[i] + h) - Sigma(xs[i] - h)) / (2 * h);
            Assert.True(Math.Abs(analytic[i] - numeric) <= 1e-8, $"σ'[{i}]: backward {analytic[i]}, finite difference {numeric}");
        }
    }

    private static double Sigma(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>Central difference of the loss in parameter entry <paramref name="i"/>.</summary>
    private double Difference(Sequential<Tensor> model, Parameter<Tensor> p, double[] value, int i, Tensor x, Tensor y, ModelKind kind)
    {
        const double h = 1e-5;
        Tensor original = p.Value;
        double At(double v)
        {
            double[] changed = (double[])value.Clone();
            changed[i] = v;
            p.Value = tensor(changed, original.shape);
            return Loss(model.Forward(x), y, kind);
        }
        double result = (At(value[i] + h) - At(value[i] - h)) / (2 * h);
        p.Value = original;
        return result;
    }

    /// <summary>The summed loss whose gradient in z is the loss's error (independent float64 formulas).</summary>
    private static double Loss(Tensor z, Tensor y, ModelKind kind)
    {
        double[] zs = z.contiguous().data<double>().ToArray();
        double[] ys = y.contiguous().data<double>().ToArray();
        switch (kind)
        {
            case ModelKind.Linear:
                return zs.Zip(ys, (a, b) => 0.5 * (a - b) * (a - b)).Sum();
            case ModelKind.Logistic:
                return zs.Zip(ys, (a, b) => -(b * Math.Log(Sigma(a)) + (1 - b) * Math.Log(1 - Sigma(a)))).Sum();
            default:
                int k = (int)z.shape[1];
                double total = 0;
                for (int r = 0; r < zs.Length / k; r++)
                {
                    double max = zs.Skip(r * k).Take(k).Max();
                    double log = max + Math.Log(zs.Skip(r * k).Take(k).Sum(v => Math.Exp(v - max)));
                    for (int c = 0; c < k; c++)
                    {
                        total -= ys[r * k + c] * (zs[r * k + c] - log);
                    }
                }
                return total;
        }
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
                var oneHot = new double[rows * classes];
                for (int r = 0; r < rows; r++)
                {
                    oneHot[r * classes + random.Next(classes)] = 1;
                }
                return tensor(oneHot, new long[] { rows, classes });
        }
    }
}
