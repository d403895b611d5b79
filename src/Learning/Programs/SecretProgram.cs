using System.Diagnostics;
using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Layers;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Optimizers;
using SecureCompute.Learning.Privacy;
using SecureCompute.Learning.Training;
using SecureCompute.Mpc.Secret;
using SecureCompute.Mpc.Sharing;
using SecureCompute.Mpc.Engine;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Programs;

/// <summary>
/// A model trained on secret shares among the engine's parties: the simulator runs it for every party, a cluster runs
/// it at each party for its own, in lockstep.
/// </summary>
/// <remarks>
/// Steps:
/// 1. Each party splits its rows by the public held-out rule (<see cref="HeldOutSplit"/>).
/// 2. Each party shares Σx and Σx² of its training rows; only the totals are opened (a release) and give every
///    party the mean and standard deviation. [1 round]
/// 3. Each party standardises its own rows and shares them, with its targets (one-hot classes as integers): zero
///    sharing, nothing sent. Rows are stacked in party order.
/// 4. SGD over the pooled training rows in the public batch order (<see cref="Trainer{T}"/>); each epoch's loss is
///    opened (a release) and a checkpoint offered.
/// 5. The model is evaluated on shares on the training and the held-out rows; only the count correct (or the summed
///    squared error) is opened for each (two releases).
/// 6. Every parameter is revealed to the recipient parties only (one round), and each party keeps its share.
/// </remarks>
public static class SecretProgram
{
    /// <summary>Runs the program.</summary>
    /// <param name="mpc">The engine.</param>
    /// <param name="partyRows">Every party's row count (public), index = party.</param>
    /// <param name="features">Features per row (public).</param>
    /// <param name="hosted">The rows of a party the engine hosts — never asked for another's.</param>
    /// <param name="spec">The program's parameters.</param>
    /// <param name="recipients">Parties that receive the model (may be empty).</param>
    /// <param name="epochDone">Called with each released epoch loss.</param>
    /// <param name="checkpoint">Called after each epoch with what continuing needs.</param>
    /// <param name="resume">Continue from this checkpoint: steps 1–3 run again (deterministic, no dealer material),
    /// the parameters are the checkpoint's and material continues at its sequence — bit for bit an uninterrupted run.</param>
    /// <param name="released">Called after each release.</param>
    /// <param name="releasing">Called just before each party's share of the model leaves it (before the reveal's
    /// round), and before private statistics are opened: a DP session's party records the spend in its ledger at the
    /// first call, and a throw stops the release.</param>
    /// <param name="noise">A DP program's noise for the hosted parties (<see cref="ProgramSpec.Privacy"/>): by default
    /// fresh seeds from each party's own CSPRNG; a test passes seeds to compare with a twin holding the same.</param>
    /// <remarks>A DP program (<see cref="ProgramSpec.Privacy"/> set) releases the model only: public feature bounds
    /// replace the statistics (step 2 opens nothing), no loss is opened (<paramref name="epochDone"/> gets NaN), no
    /// evaluation either (the figures are null), and every step is DP-SGD's (<see cref="Trainer{T}"/>). A resumed DP
    /// program draws fresh noise for the steps after its checkpoint: the steps before the crash released nothing, so
    /// none of their noise needs repeating, but the run is then not bit for bit an uninterrupted one.</remarks>
    public static ProgramResult Run(MpcEngine mpc, IReadOnlyList<int> partyRows, int features, Func<int, PartyRows> hosted, ProgramSpec spec,
        IReadOnlyList<int> recipients, Action<int, double>? epochDone = null, Action<ProgramCheckpoint>? checkpoint = null,
        ProgramCheckpoint? resume = null, Action<ProgramRelease>? released = null, PartyNoise? noise = null, Action<Disclosure>? releasing = null)
    {
        IReadOnlyList<string> problems = spec.Validate();
        if (spec.Privacy is { } privacySpec)
        {
            problems = problems.Concat(privacySpec.Validate(features, partyRows.Count)).ToArray();
        }
        if (spec.Output is { } outputSpec && problems.Count == 0)
        {
            problems = outputSpec.Validate(spec.Model.Kind, features, partyRows.Count, spec.LearningRate, SigmoidShape.Of(spec.Sigmoid));
        }
        if (problems.Count > 0 || partyRows.Count != mpc.Parties || spec.Model.Features != features)
        {
            throw new ArgumentException(string.Join(" ", problems.Append(partyRows.Count != mpc.Parties ? $"{partyRows.Count} row counts for {mpc.Parties} parties." : "")
                .Append(spec.Model.Features != features ? $"The model expects {spec.Model.Features} features, the rows have {features}." : "")).Trim(), nameof(spec));
        }
        var clock = Stopwatch.StartNew();
        mpc.ResetCounters();
        using var scope = NewDisposeScope();
        int parties = mpc.Parties;
        int[] everyone = Enumerable.Range(0, parties).ToArray();
        var splits = Enumerable.Range(0, parties).Select(i => HeldOutSplit.Split(partyRows[i], spec.HeldOutFraction, spec.Seed, i)).ToArray();
        PartyRows?[] own = Enumerable.Range(0, parties).Select(i => mpc.Hosts(i) ? Checked(hosted(i), partyRows[i], features) : null).ToArray();
        PartyRows?[] train = own.Select((rows, i) => rows?.Select(splits[i].Train)).ToArray();
        PartyRows?[] held = own.Select((rows, i) => rows?.Select(splits[i].HeldOut)).ToArray();

        DpSgdSpec? privacy = spec.Privacy;
        OutputPerturbationSpec? output = spec.Output;
        bool isPrivate = privacy is not null || output is not null;
        using PartyNoise? ownNoise = isPrivate && noise is null
            ? PartyNoise.Fresh(mpc.HostedParties, parties, privacy?.HonestParties(parties) ?? output!.HonestParties(parties))
            : null;
        var backend = new SecretBackend(mpc, spec.Sigmoid, noise ?? ownNoise);
        Standardiser standardiser;
        double[]? statistics = null;
        if (!isPrivate)
        {
            standardiser = Aggregate(mpc, train, features, splits.Sum(s => (long)s.Train.Length));
            released?.Invoke(new ProgramRelease(Disclosure.Statistics, mpc.Rounds, 2 * features, everyone));
        }
        else if (privacy is { PrivateStatistics: true })
        {
            long pooled = splits.Sum(s => (long)s.Train.Length);
            if (resume?.Statistics is { } kept && kept.Length == 2 * features)
            {
                // Released before the crash: reused as they were, never opened again.
                statistics = kept;
            }
            else
            {
                // The first DP release: a party's ledger records the spend before any of it leaves.
                releasing?.Invoke(Disclosure.Statistics);
                statistics = NoisyStatistics(mpc, backend, privacy, train, features, pooled, released, everyone);
            }
            standardiser = privacy.FromNoisyStatistics(statistics[..features], statistics[features..], pooled);
        }
        else
        {
            standardiser = privacy?.PublicStandardiser() ?? output!.PublicStandardiser();
        }
        int k = spec.Model.Kind is ModelKind.Softmax or ModelKind.Mlp ? spec.Model.Classes : 1;
        int trainRows = splits.Sum(s => s.Train.Length);
        int heldRows = splits.Sum(s => s.HeldOut.Length);
        double trainBound = isPrivate ? privacy?.TrainingBound ?? 1.0 : Standardiser.ZScoreBound(trainRows);
        (SecretTensor x, SecretTensor y) = ShareRows(mpc, splits.Select(s => s.Train.Length).ToArray(), train, standardiser, spec.Model, features, k, trainBound,
            output?.FeatureNorm);
        (SecretTensor X, SecretTensor Y)? heldOut = heldRows > 0 && !isPrivate
            ? ShareRows(mpc, splits.Select(s => s.HeldOut.Length).ToArray(), held, standardiser, spec.Model, features, k, bound: null)
            : null;

        Sequential<SecretTensor> model = ModelBuilder.Build(backend, spec.Model);
        PrivateSteps? steps = privacy is null ? null : new PrivateSteps(privacy.ClipNorm, privacy.NoiseMultiplier, spec.BatchSize);
        RowScales<SecretTensor>? scales = privacy is not null && Trainer<SecretTensor>.ClampsErrors(model)
            ? ShareRowScales(mpc, splits.Select(s => s.Train.Length).ToArray(), train, standardiser, features, trainBound, privacy.ClipNorm)
            : null;
        var trainer = new Trainer<SecretTensor>(backend, model, ModelBuilder.Loss(backend, spec.Model.Kind), new Sgd<SecretTensor>(backend, spec.LearningRate, weightDecay: output?.Regularisation ?? 0), steps);
        var epochLoss = new List<double>(resume?.EpochLoss ?? Array.Empty<double>());
        if (resume is not null)
        {
            Restore(mpc, model, resume, spec);
        }
        int stepsPerEpoch = BatchSchedule.StepsPerEpoch(trainRows, spec.BatchSize);
        int[][] batches = BatchSchedule.Batches(trainRows, spec.BatchSize, spec.Epochs, spec.Seed).ToArray();
        long stepRounds = 0;
        int stepsTaken = 0;
        for (int epoch = resume?.Epochs ?? 0; epoch < spec.Epochs; epoch++)
        {
            long before = mpc.Rounds;
            IReadOnlyList<SecretTensor> errors = trainer.Steps(x, y, batches[(epoch * stepsPerEpoch)..((epoch + 1) * stepsPerEpoch)], scales);
            stepRounds += mpc.Rounds - before;
            stepsTaken += stepsPerEpoch;
            if (!isPrivate)
            {
                double loss = trainer.Loss(errors);
                epochLoss.Add(loss);
                released?.Invoke(new ProgramRelease(Disclosure.Loss, mpc.Rounds, 1, everyone));
                epochDone?.Invoke(epochLoss.Count, loss);
                checkpoint?.Invoke(new ProgramCheckpoint(epochLoss.Count, Flatten(mpc, model), mpc.MaterialSequence, epochLoss.ToArray()));
            }
            else
            {
                foreach (SecretTensor e in errors)
                {
                    e.Dispose();
                }
                epochDone?.Invoke(epoch + 1, double.NaN);
                checkpoint?.Invoke(new ProgramCheckpoint(epoch + 1, Flatten(mpc, model), mpc.MaterialSequence, Array.Empty<double>(), statistics));
            }
        }

        Evaluation trainFigures = new(trainRows, null, null);
        Evaluation? heldFigures = heldRows > 0 ? new Evaluation(heldRows, null, null) : null;
        if (!isPrivate)
        {
            trainFigures = trainer.Evaluate(x, y, spec.Model.Kind);
            released?.Invoke(new ProgramRelease(Disclosure.Evaluation, mpc.Rounds, 1, everyone));
            if (heldOut is { } h)
            {
                heldFigures = trainer.Evaluate(h.X, h.Y, spec.Model.Kind);
                released?.Invoke(new ProgramRelease(Disclosure.Evaluation, mpc.Rounds, 1, everyone));
            }
        }

        if (output is not null)
        {
            // Output perturbation: each party adds its own noise to its share of every weight, σ·Δ from the honest ones.
            double sensitivity = output.Sensitivity(trainRows, spec.BatchSize, spec.Epochs, spec.LearningRate,
                model.Parameters.Sum(p => p.Value.Shape.Aggregate(1L, (a, b) => a * b)), mpc.Format.FractionalBits, SigmoidShape.Of(spec.Sigmoid));
            IReadOnlyList<Parameter<SecretTensor>> parameters = model.Parameters;
            SecretTensor[] noisy = backend.AddNoise(parameters.Select(p => p.Value).ToArray(), output.NoiseMultiplier * sensitivity);
            for (int i = 0; i < parameters.Count; i++)
            {
                parameters[i].Value = backend.Keep(noisy[i]);
            }
        }
        long[][] shares = Flatten(mpc, model);
        int[] to = recipients.Distinct().Order().ToArray();
        double[] weights = Array.Empty<double>();
        if (to.Length > 0)
        {
            using SecretTensor all = SecretTensor.Concatenate(model.Parameters.Select(p => p.Value.Reshape(-1, 1)).ToArray(), 0);
            releasing?.Invoke(Disclosure.Model);
            Tensor?[] revealed = mpc.RevealTo(all.Shares, to);
            released?.Invoke(new ProgramRelease(Disclosure.Model, mpc.Rounds, all.Shape[0], to));
            if (revealed.FirstOrDefault(r => r is not null) is { } ring)
            {
                weights = mpc.Format.Decode(ring).contiguous().data<double>().ToArray();
            }
        }
        var shapes = model.Parameters.Select(p => (p.Name, p.Value.Shape)).ToArray();
        return new ProgramResult(weights, shares, shapes, standardiser.Mean, standardiser.StandardDeviation, trainFigures, heldFigures,
            epochLoss.ToArray(), stepsTaken, mpc.Rounds, stepsTaken == 0 ? 0 : stepRounds / (double)stepsTaken, mpc.BytesOpened, mpc.DealerBytes, clock.Elapsed.TotalSeconds);
    }

    private static PartyRows Checked(PartyRows rows, int announced, int features)
    {
        if (rows.Rows != announced || rows.Columns != features)
        {
            throw new ArgumentException($"Party {rows.Party}'s rows ({rows.Rows} × {rows.Columns}) do not match its announced schema ({announced} × {features}).");
        }
        return rows;
    }

    /// <summary>Step 2: each party's Σx and Σx² shared, only the totals opened.</summary>
    private static Standardiser Aggregate(MpcEngine mpc, PartyRows?[] train, int features, long pooled)
    {
        SecretTensor? total = null;
        for (int i = 0; i < train.Length; i++)
        {
            Tensor? sums = train[i] is { } rows ? tensor(Standardiser.Sums(rows)) : null;
            SecretTensor shared = SecretTensor.Share(mpc, new long[] { 2 * features }, sums, i);
            total = total is null ? shared : total + shared;
        }
        double[] opened = total!.OpenReal().contiguous().data<double>().ToArray();
        return Standardiser.FromSums(pooled, opened[..features], opened[features..]);
    }

    /// <summary>
    /// Step 2 of a DP program with private statistics: each party shares its Σz (z its values clamped to the public
    /// bounds and mapped to [−1, 1]) and adds its own noise, and only the noisy total is opened; then, about that noisy
    /// centre, Σ|z − μ| the same way. Two Gaussian releases (<see cref="DpSgdSpec.StatisticsNoiseMultiplier"/>). [2 rounds]
    /// </summary>
    /// <returns>The two opened vectors, concatenated (2d values).</returns>
    private static double[] NoisyStatistics(MpcEngine mpc, SecretBackend backend, DpSgdSpec privacy, PartyRows?[] train, int features, long pooled,
        Action<ProgramRelease>? released, int[] everyone)
    {
        double sigma = privacy.StatisticsNoiseMultiplier!.Value;
        double[] sums = OpenNoisySums(mpc, backend, train, features, rows => privacy.StatisticsSums(rows, centre: null), sigma * DpSgdSpec.MeanSensitivity(features));
        released?.Invoke(new ProgramRelease(Disclosure.Statistics, mpc.Rounds, features, everyone));
        double[] centre = DpSgdSpec.NoisyCentre(sums, pooled);
        double[] deviations = OpenNoisySums(mpc, backend, train, features, rows => privacy.StatisticsSums(rows, centre), sigma * DpSgdSpec.DeviationSensitivity(features));
        released?.Invoke(new ProgramRelease(Disclosure.Statistics, mpc.Rounds, features, everyone));
        return [.. sums, .. deviations];
    }

    /// <summary>Each party's local sums shared, every hosted party's noise added to its share, only the noisy total opened.</summary>
    private static double[] OpenNoisySums(MpcEngine mpc, SecretBackend backend, PartyRows?[] train, int features, Func<PartyRows, double[]> local,
        double standardDeviation)
    {
        SecretTensor? total = null;
        for (int i = 0; i < train.Length; i++)
        {
            Tensor? sums = train[i] is { } rows ? tensor(local(rows)) : null;
            SecretTensor shared = SecretTensor.Share(mpc, new long[] { features }, sums, i);
            total = total is null ? shared : total + shared;
        }
        SecretTensor[] noisy = backend.AddNoise(new[] { total! }, standardDeviation);
        total!.Dispose();
        using SecretTensor opened = noisy[0];
        return opened.OpenReal().contiguous().data<double>().ToArray();
    }

    /// <summary>
    /// Step 3: every party's standardised rows and targets, shared and stacked in party order. Training rows carry
    /// their public z-score range (<paramref name="bound"/>); class targets are 0/1 — the ranges that let a logistic
    /// gradient keep 3f bits (<see cref="SecretTensor"/>, rule 2).
    /// </summary>
    private static (SecretTensor X, SecretTensor Y) ShareRows(MpcEngine mpc, int[] counts, PartyRows?[] rows, Standardiser standardiser, ModelSpec model, int features, int k,
        double? bound, double? rowNorm = null)
    {
        var xs = new List<SecretTensor>();
        var ys = new List<SecretTensor>();
        bool integers = model.Kind != ModelKind.Linear;
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }
            Tensor? values = rows[i] is { } own ? tensor(standardiser.Apply(own, bound, rowNorm), new long[] { counts[i], features }) : null;
            xs.Add(SecretTensor.Share(mpc, new long[] { counts[i], features }, values, i, bound is { } b ? ValueRange.Symmetric(b) : null));
            Tensor? targets = rows[i] is { } mine ? tensor(Targets.Of(mine, model), new long[] { counts[i], k }) : null;
            ys.Add(integers ? SecretTensor.ShareIntegers(mpc, new long[] { counts[i], k }, targets, i, ValueRange.Bit) : SecretTensor.Share(mpc, new long[] { counts[i], k }, targets, i));
        }
        return (SecretTensor.Concatenate(xs, 0), SecretTensor.Concatenate(ys, 0));
    }

    /// <summary>
    /// DP-SGD on a one-output linear model: each party shares r/C and C/r of its own training rows (r = ‖(x_i, 1)‖ of
    /// the standardised row it shared), stacked in party order like the rows — zero sharing, nothing sent.
    /// </summary>
    private static RowScales<SecretTensor> ShareRowScales(MpcEngine mpc, int[] counts, PartyRows?[] rows, Standardiser standardiser, int features, double bound,
        double clipNorm)
    {
        var up = new List<SecretTensor>();
        var down = new List<SecretTensor>();
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }
            double[]? norms = rows[i] is { } own ? Standardiser.RowNorms(standardiser.Apply(own, bound), features) : null;
            long[] shape = { counts[i], 1 };
            up.Add(SecretTensor.Share(mpc, shape, norms is null ? null : tensor(norms.Select(r => r / clipNorm).ToArray(), shape), i));
            down.Add(SecretTensor.Share(mpc, shape, norms is null ? null : tensor(norms.Select(r => clipNorm / r).ToArray(), shape), i));
        }
        return new RowScales<SecretTensor>(SecretTensor.Concatenate(up, 0), SecretTensor.Concatenate(down, 0));
    }

    /// <summary>Per hosted party, its share of every parameter flattened in model order (each at f bits).</summary>
    private static long[][] Flatten(MpcEngine mpc, Sequential<SecretTensor> model)
    {
        IReadOnlyList<Parameter<SecretTensor>> parameters = model.Parameters;
        if (parameters.Any(p => p.Value.FractionalBits != mpc.Format.FractionalBits))
        {
            throw new InvalidOperationException("A parameter is not at the engine's fixed-point scale.");
        }
        return Enumerable.Range(0, mpc.HostedParties.Count)
            .Select(i => parameters.SelectMany(p => p.Value.Shares.Shares[i].Value.cpu().contiguous().data<long>().ToArray()).ToArray())
            .ToArray();
    }

    /// <summary>Sets every parameter from the checkpoint's shares; material continues at its sequence.</summary>
    private static void Restore(MpcEngine mpc, Sequential<SecretTensor> model, ProgramCheckpoint resume, ProgramSpec spec)
    {
        IReadOnlyList<Parameter<SecretTensor>> parameters = model.Parameters;
        long total = parameters.Sum(p => p.Value.Shape.Aggregate(1L, (a, b) => a * b));
        if (resume.WeightShares.Length != mpc.HostedParties.Count || resume.WeightShares.Any(s => s.Length != total) || resume.Epochs > spec.Epochs)
        {
            throw new ArgumentException($"The checkpoint (after epoch {resume.Epochs}) does not fit this session.", nameof(resume));
        }
        long offset = 0;
        foreach (Parameter<SecretTensor> p in parameters)
        {
            long n = p.Value.Shape.Aggregate(1L, (a, b) => a * b);
            long[] shape = p.Value.Shape;
            var shares = mpc.HostedParties.Select((party, i) =>
                new ShareTensor(party, tensor(resume.WeightShares[i][(int)offset..(int)(offset + n)], shape).to(mpc.Device))).ToArray();
            p.Value.Dispose();
            p.Value = SecretTensor.FromShares(mpc, new SharedTensor(shares));
            offset += n;
        }
        mpc.ResumeMaterialAt(resume.MaterialSequence);
    }
}
