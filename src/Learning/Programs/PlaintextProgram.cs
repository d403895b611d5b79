using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Optimizers;
using SecureCompute.Learning.Privacy;
using SecureCompute.Learning.Training;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Programs;

/// <summary>
/// The same program in plaintext float64 on the pooled rows: the same held-out split, standardisation, initial
/// weights and batch order as <see cref="SecretProgram"/> — with the exact functions (the baseline) or the secret
/// backend's approximations (the fidelity twin).
/// </summary>
public static class PlaintextProgram
{
    /// <summary>Runs the program on every party's rows.</summary>
    /// <param name="parties">Every party's rows.</param>
    /// <param name="spec">The program.</param>
    /// <param name="functions">Exact functions (the baseline) or the secret backend's approximations (the twin).</param>
    /// <param name="evaluateEveryEpoch">Also evaluate a classifier on the training and held-out rows after every epoch
    /// (<see cref="ProgramResult.EpochTrainAccuracy"/>): the accuracy curve that the secret program, which opens its
    /// accuracy once, cannot give. A forward pass only, so every other figure is the same without it; off by default, so
    /// that a timed baseline does not carry it.</param>
    /// <param name="noise">A DP program's noise, holding every party's seed: the secret run's own to reproduce its noise
    /// exactly, or by default fresh seeds (the same mechanism, another draw).</param>
    /// <remarks>A DP program (<see cref="ProgramSpec.Privacy"/>) standardises by the public bounds and trains by DP-SGD
    /// with the noise the parties together add; unlike the secret program it evaluates (a baseline releases nothing).</remarks>
    public static ProgramResult Run(IReadOnlyList<PartyRows> parties, ProgramSpec spec, FunctionMode functions, bool evaluateEveryEpoch = false,
        PartyNoise? noise = null)
    {
        IReadOnlyList<string> problems = spec.Validate();
        if (spec.Privacy is { } privacySpec)
        {
            problems = problems.Concat(privacySpec.Validate(spec.Model.Features, parties.Count)).ToArray();
        }
        if (spec.Output is { } outputSpec && problems.Count == 0)
        {
            problems = outputSpec.Validate(spec.Model.Kind, spec.Model.Features, parties.Count, spec.LearningRate, SigmoidShape.Of(spec.Sigmoid));
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(spec));
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        int d = spec.Model.Features;
        var splits = parties.Select((p, i) => HeldOutSplit.Split(p.Rows, spec.HeldOutFraction, spec.Seed, i)).ToArray();
        PartyRows[] train = parties.Select((p, i) => p.Select(splits[i].Train)).ToArray();
        PartyRows[] held = parties.Select((p, i) => p.Select(splits[i].HeldOut)).ToArray();
        double[] sums = new double[2 * d];
        foreach (PartyRows rows in train)
        {
            double[] own = Standardiser.Sums(rows);
            for (int j = 0; j < sums.Length; j++)
            {
                sums[j] += own[j];
            }
        }
        int trainRows = train.Sum(p => p.Rows);
        DpSgdSpec? privacy = spec.Privacy;
        OutputPerturbationSpec? output = spec.Output;
        bool isPrivate = privacy is not null || output is not null;
        using PartyNoise? ownNoise = isPrivate && noise is null
            ? PartyNoise.Fresh(Enumerable.Range(0, parties.Count), parties.Count, privacy?.HonestParties(parties.Count) ?? output!.HonestParties(parties.Count))
            : null;
        var backend = new PlaintextBackend(functions, spec.Sigmoid, noise ?? ownNoise);
        Standardiser standardiser = privacy is { PrivateStatistics: true }
            ? NoisyStatistics(backend, privacy, train, d, trainRows)
            : privacy?.PublicStandardiser() ?? output?.PublicStandardiser() ?? Standardiser.FromSums(trainRows, sums[..d], sums[d..]);
        double privateBound = privacy?.TrainingBound ?? 1.0;
        int k = spec.Model.Kind is ModelKind.Softmax or ModelKind.Mlp ? spec.Model.Classes : 1;
        (Tensor x, Tensor y) = Stack(train, standardiser, spec.Model, d, k, isPrivate ? privateBound : Standardiser.ZScoreBound(trainRows), output?.FeatureNorm);
        Sequential<Tensor> model = ModelBuilder.Build(backend, spec.Model);
        PrivateSteps? steps = privacy is null ? null : new PrivateSteps(privacy.ClipNorm, privacy.NoiseMultiplier, spec.BatchSize);
        var trainer = new Trainer<Tensor>(backend, model, ModelBuilder.Loss(backend, spec.Model.Kind), new Sgd<Tensor>(backend, spec.LearningRate, weightDecay: output?.Regularisation ?? 0), steps);
        // The secret program's clamped-error clip for a one-output linear model: r/C and C/r per row, as each owner computes them.
        RowScales<Tensor>? scales = null;
        if (privacy is not null && Trainer<Tensor>.ClampsErrors(model))
        {
            using Tensor norms = x.pow(2).sum(1, keepdim: true).add(1).sqrt();
            scales = new RowScales<Tensor>(norms.div(privacy.ClipNorm), norms.reciprocal().mul(privacy.ClipNorm));
        }
        int stepsPerEpoch = BatchSchedule.StepsPerEpoch(trainRows, spec.BatchSize);
        int[][] batches = BatchSchedule.Batches(trainRows, spec.BatchSize, spec.Epochs, spec.Seed).ToArray();
        (Tensor X, Tensor Y)? heldRows = held.Sum(p => p.Rows) > 0 ? Stack(held, standardiser, spec.Model, d, k, bound: isPrivate ? privateBound : null, output?.FeatureNorm) : null;
        bool curve = evaluateEveryEpoch && spec.Model.Kind != ModelKind.Linear;
        var losses = new List<double>();
        var trainAccuracy = new List<double>();
        var heldAccuracy = new List<double>();
        for (int epoch = 0; epoch < spec.Epochs; epoch++)
        {
            losses.Add(trainer.Epoch(x, y, batches[(epoch * stepsPerEpoch)..((epoch + 1) * stepsPerEpoch)], scales));
            // A forward pass only: the parameters, the batches and every later step stay as they are without it.
            if (curve)
            {
                trainAccuracy.Add(trainer.Evaluate(x, y, spec.Model.Kind).Accuracy!.Value);
                if (heldRows is { } h)
                {
                    heldAccuracy.Add(trainer.Evaluate(h.X, h.Y, spec.Model.Kind).Accuracy!.Value);
                }
            }
        }
        if (output is not null)
        {
            // The same noise the parties would add to their shares (the twin holds every party's seed): σ·Δ in all.
            double sensitivity = output.Sensitivity(trainRows, spec.BatchSize, spec.Epochs, spec.LearningRate,
                model.Parameters.Sum(p => p.Value.numel()), SecureCompute.Mpc.Encoding.FixedPointFormat.DefaultFractionalBits, SigmoidShape.Of(spec.Sigmoid));
            var parameters = model.Parameters;
            Tensor[] noisy = backend.AddNoise(parameters.Select(p => p.Value).ToArray(), output.NoiseMultiplier * sensitivity);
            for (int i = 0; i < parameters.Count; i++)
            {
                parameters[i].Value = backend.Keep(noisy[i]);
            }
        }
        Evaluation trainFigures = trainer.Evaluate(x, y, spec.Model.Kind);
        Evaluation? heldFigures = heldRows is { } heldOut ? trainer.Evaluate(heldOut.X, heldOut.Y, spec.Model.Kind) : null;
        double[] weights = model.Parameters.SelectMany(p => backend.Release(p.Value)).ToArray();
        var shapes = model.Parameters.Select(p => (p.Name, p.Value.shape)).ToArray();
        return new ProgramResult(weights, Array.Empty<long[]>(), shapes, standardiser.Mean, standardiser.StandardDeviation, trainFigures, heldFigures,
            losses.ToArray(), spec.Epochs * stepsPerEpoch, 0, 0, 0, 0, clock.Elapsed.TotalSeconds)
        {
            EpochTrainAccuracy = trainAccuracy.ToArray(),
            EpochHeldOutAccuracy = heldAccuracy.ToArray(),
        };
    }

    /// <summary>
    /// A released model's figures on the held-out rows of <paramref name="parties"/> (the split <paramref name="spec"/>
    /// names), with the released standardisation — how a recipient who holds labelled rows of its own, or an evaluator
    /// in an experiment, scores the model a DP session released without the session releasing an evaluation.
    /// </summary>
    /// <returns>Null when no rows are held out.</returns>
    public static Evaluation? EvaluateReleased(IReadOnlyList<PartyRows> parties, ProgramSpec spec, IReadOnlyList<double> weights,
        Standardiser standardiser, FunctionMode functions = FunctionMode.Exact)
    {
        ArgumentNullException.ThrowIfNull(weights);
        using var scope = NewDisposeScope();
        int d = spec.Model.Features;
        PartyRows[] held = parties.Select((p, i) => p.Select(HeldOutSplit.Split(p.Rows, spec.HeldOutFraction, spec.Seed, i).HeldOut)).ToArray();
        if (held.Sum(p => p.Rows) == 0)
        {
            return null;
        }
        int k = spec.Model.Kind is ModelKind.Softmax or ModelKind.Mlp ? spec.Model.Classes : 1;
        var backend = new PlaintextBackend(functions, spec.Sigmoid, noise: null);
        Sequential<Tensor> model = ModelBuilder.Build(backend, spec.Model);
        long expected = model.Parameters.Sum(p => p.Value.numel());
        if (weights.Count != expected)
        {
            throw new ArgumentException($"The model has {expected} parameters; {weights.Count} weights were given.", nameof(weights));
        }
        int offset = 0;
        foreach (var parameter in model.Parameters)
        {
            int count = (int)parameter.Value.numel();
            parameter.Value = tensor(weights.Skip(offset).Take(count).ToArray(), parameter.Value.shape);
            offset += count;
        }
        var trainer = new Trainer<Tensor>(backend, model, ModelBuilder.Loss(backend, spec.Model.Kind), new Sgd<Tensor>(backend, spec.LearningRate));
        (Tensor x, Tensor y) = Stack(held, standardiser, spec.Model, d, k, bound: spec.Privacy is null && spec.Output is null ? null : spec.Privacy?.TrainingBound ?? 1.0,
            spec.Output?.FeatureNorm);
        return trainer.Evaluate(x, y, spec.Model.Kind);
    }

    /// <summary>The secret program's private statistics in float64 on the pooled rows, with the noise every party adds
    /// (the twin holds every party's seed, so it draws the secret run's noise in the same order).</summary>
    private static Standardiser NoisyStatistics(PlaintextBackend backend, DpSgdSpec privacy, PartyRows[] train, int d, long pooled)
    {
        double sigma = privacy.StatisticsNoiseMultiplier!.Value;
        double[] Noisy(double[]? centre, double standardDeviation)
        {
            var total = new double[d];
            foreach (PartyRows rows in train)
            {
                double[] own = privacy.StatisticsSums(rows, centre);
                for (int j = 0; j < d; j++)
                {
                    total[j] += own[j];
                }
            }
            using Tensor exact = tensor(total);
            using Tensor noisy = backend.AddNoise(new[] { exact }, standardDeviation)[0];
            return noisy.contiguous().data<double>().ToArray();
        }
        double[] sums = Noisy(null, sigma * DpSgdSpec.MeanSensitivity(d));
        double[] deviations = Noisy(DpSgdSpec.NoisyCentre(sums, pooled), sigma * DpSgdSpec.DeviationSensitivity(d));
        return privacy.FromNoisyStatistics(sums, deviations, pooled);
    }

    /// <summary>The pooled standardised rows (training rows clamped to their z-score bound, as the secret program does) and targets.</summary>
    private static (Tensor X, Tensor Y) Stack(PartyRows[] parties, Standardiser standardiser, ModelSpec model, int d, int k, double? bound, double? rowNorm = null)
    {
        PartyRows[] present = parties.Where(p => p.Rows > 0).ToArray();
        Tensor x = cat(present.Select(p => tensor(standardiser.Apply(p, bound, rowNorm), new long[] { p.Rows, d })).ToArray(), 0);
        Tensor y = cat(present.Select(p => tensor(Targets.Of(p, model), new long[] { p.Rows, k })).ToArray(), 0);
        return (x, y);
    }
}
