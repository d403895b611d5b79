using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Layers;
using SecureCompute.Learning.Losses;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Optimizers;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Training;

/// <summary>
/// Minibatch training of one model on one backend — the same program on secret shares and on plaintext.
/// </summary>
/// <remarks>
/// Per step (public batch indices b):
/// 1. z = model(X_b); e = the loss's error (softmax(z) − Y_b, σ(z) − y_b or z − y_b).
/// 2. Backward from e; each parameter θ ← θ − (η / |b|)·(momentum-averaged) gradient.
/// With <see cref="PrivateSteps"/>, step 2 is DP-SGD's: the backward pass clips each example's gradient to L2 norm C
/// (<see cref="Sequential{T}.BackwardClipped"/>), noise of standard deviation σ·C is added to each parameter's summed
/// gradient, and the step divides by the public batch size — Opacus' semantics — also for an epoch's short last batch.
/// Per epoch: Σ e² over the epoch's rows is opened, divided by the rows — the epoch's loss, a release (squared error
/// for regression, the Brier score for classification); the errors are kept until then, so the loss costs no round per step.
/// </remarks>
/// <typeparam name="T">The backend's tensor type.</typeparam>
public sealed class Trainer<T>(IBackend<T> backend, Sequential<T> model, ILoss<T> loss, Sgd<T> optimizer, PrivateSteps? privacy = null)
    where T : class, IDisposable
{
    /// <summary>The model being trained.</summary>
    public Sequential<T> Model { get; } = model;

    /// <summary>DP-SGD's parameters, or null for plain SGD.</summary>
    public PrivateSteps? Privacy { get; } = privacy;

    /// <summary>Runs one epoch's <paramref name="batches"/> over rows <paramref name="x"/> and targets <paramref name="y"/>; returns the released epoch loss.</summary>
    public double Epoch(T x, T y, IReadOnlyList<int[]> batches, RowScales<T>? rowScales = null) => Loss(Steps(x, y, batches, rowScales));

    /// <summary>The SGD steps of <paramref name="batches"/>; returns each step's error, kept for <see cref="Loss"/>.</summary>
    /// <param name="x">The rows.</param>
    /// <param name="y">The targets.</param>
    /// <param name="batches">Each step's public row indices.</param>
    /// <param name="rowScales">For DP-SGD on a one-output linear model: each row's r/C and C/r, r = ‖(x_i, 1)‖, from
    /// the row's owner — then the clip is the clamped error (<see cref="ClampedError"/>) rather than the norms and the
    /// clip factor. The same clipping, fewer rounds.</param>
    public IReadOnlyList<T> Steps(T x, T y, IReadOnlyList<int[]> batches, RowScales<T>? rowScales = null)
    {
        var errors = new List<T>();
        foreach (int[] batch in batches)
        {
            using var scope = NewDisposeScope();
            long[] index = batch.Select(i => (long)i).ToArray();
            T xb = backend.Rows(x, index);
            T yb = backend.Rows(y, index);
            T z = Model.Forward(xb);
            T error = loss.Error(z, yb);
            if (Privacy is { } dp)
            {
                // DP-SGD: each example's gradient clipped to C, the sum noised (σ·C), divided by the public batch size.
                if (rowScales is { } scales && ClampsErrors(Model))
                {
                    Model.Backward(ClampedError(backend, error, backend.Rows(scales.Up, index), backend.Rows(scales.Down, index)));
                }
                else
                {
                    Model.BackwardClipped(backend, error, dp.ClipNorm);
                }
                IReadOnlyList<Parameter<T>> parameters = Model.Parameters;
                T[] noisy = backend.AddNoise(parameters.Select(p => p.Gradient!).ToArray(), dp.NoiseMultiplier * dp.ClipNorm);
                for (int i = 0; i < parameters.Count; i++)
                {
                    parameters[i].Gradient = noisy[i];
                }
                optimizer.Step(parameters, dp.BatchSize);
            }
            else
            {
                Model.Backward(error);
                optimizer.Step(Model.Parameters, batch.Length);
            }
            errors.Add(backend.Keep(error));
        }
        return errors;
    }

    /// <summary>Whether <paramref name="model"/> is one linear layer with one output, whose per-example gradient
    /// e_i·(x_i, 1) has norm |e_i|·r_i: the models <see cref="ClampedError"/> clips.</summary>
    public static bool ClampsErrors(Sequential<T> model) => model.Layers is [Linear<T> { Outputs: 1 }];

    /// <summary>
    /// DP-SGD's clip for a one-output linear model without norms: the clipped gradient s_i·e_i·(x_i, 1), s_i =
    /// min(1, C/(|e_i|·r_i)), has the error s_i·e_i = clamp(e_i·r_i/C, −1, 1)·C/r_i — two row products and one batched
    /// ReLU (u − relu(u − 1) + relu(−u − 1)), where the general path needs the norms and a 31-round clip factor. The
    /// clamp is exact on shares (a sign), so the clipped norm exceeds C only by the encoding of r/C and C/r.
    /// </summary>
    public static T ClampedError(IBackend<T> backend, T error, T up, T down)
    {
        T u = backend.MultiplyRows(error, up);
        T over = backend.AddScalar(u, -1);
        T under = backend.AddScalar(backend.ScaleAll(new[] { u }, -1)[0], -1);
        long rows = backend.Shape(u)[0];
        (T relu, _) = backend.Relu(backend.ConcatenateRows(new[] { over, under }));
        T clamped = backend.Add(backend.Subtract(u, backend.SliceRows(relu, 0, rows)), backend.SliceRows(relu, rows, rows));
        return backend.MultiplyRows(clamped, down);
    }

    /// <summary>
    /// The epoch's loss from its steps' <paramref name="errors"/>: Σ e² over every row, opened once and divided by the
    /// rows (on shares: at most a truncation, a square and the open — 3 rounds per epoch, none per step). Disposes the errors.
    /// </summary>
    public double Loss(IReadOnlyList<T> errors)
    {
        using var scope = NewDisposeScope();
        T all = backend.ConcatenateRows(errors);
        double rows = backend.Shape(all)[0];
        double released = backend.Release(backend.SumOfSquares(all))[0] / rows;
        foreach (T e in errors)
        {
            e.Dispose();
        }
        return released;
    }

    /// <summary>
    /// Evaluates on rows <paramref name="x"/> with targets <paramref name="y"/> (one-hot for softmax and MLP; 0/1 for
    /// logistic; values for linear) on the backend; only the aggregate is released: the count correct, or the summed
    /// squared error.
    /// </summary>
    public Evaluation Evaluate(T x, T y, ModelKind kind)
    {
        using var scope = NewDisposeScope();
        T z = Model.Forward(x);
        int rows = (int)backend.Shape(z)[0];
        switch (kind)
        {
            case ModelKind.Linear:
            {
                T error = backend.Subtract(z, y);
                double sse = backend.Release(backend.SumOfSquares(error))[0];
                return new Evaluation(rows, null, sse / rows);
            }
            case ModelKind.Logistic:
            {
                // correct = n − Σp − Σy + 2·Σ(p ⊙ y) for the prediction p = [z ≥ 0].
                (_, T predicted) = backend.Relu(z);
                T both = backend.Multiply(predicted, y);
                T twice = backend.Add(both, both);
                T less = backend.Subtract(backend.Subtract(twice, predicted), y);
                double correct = rows + backend.Release(backend.Total(less))[0];
                return new Evaluation(rows, correct / rows, null);
            }
            default:
            {
                T chosen = backend.ArgmaxOneHot(z);
                T hits = backend.Multiply(chosen, y);
                double correct = backend.Release(backend.Total(hits))[0];
                return new Evaluation(rows, correct / rows, null);
            }
        }
    }
}

/// <summary>DP-SGD's step parameters.</summary>
/// <param name="ClipNorm">C: each example's gradient is clipped to this L2 norm.</param>
/// <param name="NoiseMultiplier">σ: the noise on each summed gradient has standard deviation σ·C.</param>
/// <param name="BatchSize">The public batch size every step divides by.</param>
public sealed record PrivateSteps(double ClipNorm, double NoiseMultiplier, int BatchSize);

/// <summary>Per row, r/C and C/r for r = ‖(x_i, 1)‖ ([n, 1] each): what each row's owner computes from its own row for <see cref="Trainer{T}.ClampedError"/>.</summary>
/// <param name="Up">r_i/C.</param>
/// <param name="Down">C/r_i.</param>
public sealed record RowScales<T>(T Up, T Down);
