using System.Diagnostics;
using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Layers;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Optimizers;
using SecureCompute.Learning.Programs;
using SecureCompute.Learning.Training;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Federated;

/// <summary>
/// Federated averaging (FedAvg, optionally FedProx): every party trains the model on its own rows in the clear, inside
/// its own process, and only the row-weighted sum of the parties' weight deltas is released, through a secure sum
/// (<see cref="IUpdateSum"/>): on the share engine at a cluster's parties, in the clear in the fidelity twin — the
/// same program.
/// </summary>
/// <remarks>
/// Steps:
/// 1. Each party splits its rows by the public held-out rule (<see cref="HeldOutSplit"/>).
/// 2. Σx and Σx² of every party's training rows are summed; only the totals are released (the standardisation, as in
///    MPC mode). [1 round]
/// 3. The global model starts at the learning layer's public initial weights, encoded in the ring; every party holds
///    it, bit for bit the same.
/// 4. Per round r (the spec's epochs are rounds): each party copies the global model, runs E local epochs of SGD on
///    its own standardised training rows (its own public batch order, seeded by the spec's seed, r and the party),
///    takes its delta Δ_p = w_p − w, scales it to ‖Δ_p‖ ≤ C when a clip is set, and contributes (n_p/N)·Δ_p and
///    (n_p/N)·loss_p. The sum is released to every party (the aggregate update and the round's loss, one open) and
///    added to the global model in the ring. A checkpoint is offered. [1 round per round, 1 once for the mask seed]
/// 5. Each party evaluates the final model on its own training and held-out rows; only the sums (count correct, or
///    summed squared error) are released. [1 round]
/// 6. The model is every party's (each saw every aggregate); the result names it for the recipients.
/// </remarks>
public static class FederatedProgram
{
    /// <summary>Runs the program.</summary>
    /// <param name="sum">The secure sum (the engine's at a party or in the simulator; the plain one for the twin).</param>
    /// <param name="partyRows">Every party's row count (public), index = party.</param>
    /// <param name="features">Features per row (public).</param>
    /// <param name="hosted">The rows of a party computed here — never asked for another's.</param>
    /// <param name="spec">The program's parameters; <see cref="ProgramSpec.Federated"/> set.</param>
    /// <param name="recipients">Parties named to receive the model.</param>
    /// <param name="roundDone">Called with each round's released loss.</param>
    /// <param name="checkpoint">Called after each round with what continuing needs (the global model in the ring).</param>
    /// <param name="resume">Continue from this checkpoint: steps 1–3 run again, the global model is the checkpoint's —
    /// bit for bit an uninterrupted run.</param>
    /// <param name="released">Called after each release.</param>
    public static ProgramResult Run(IUpdateSum sum, IReadOnlyList<int> partyRows, int features, Func<int, PartyRows> hosted, ProgramSpec spec,
        IReadOnlyList<int> recipients, Action<int, double>? roundDone = null, Action<ProgramCheckpoint>? checkpoint = null,
        ProgramCheckpoint? resume = null, Action<ProgramRelease>? released = null)
    {
        var problems = spec.Validate().ToList();
        if (spec.Federated is null)
        {
            problems.Add("a federated program needs its federated parameters.");
        }
        if (partyRows.Count != sum.Parties)
        {
            problems.Add($"{partyRows.Count} row counts for {sum.Parties} parties.");
        }
        if (spec.Model.Features != features)
        {
            problems.Add($"The model expects {spec.Model.Features} features, the rows have {features}.");
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(spec));
        }
        FederatedSpec federated = spec.Federated!;
        var clock = Stopwatch.StartNew();
        long roundsBefore = sum.Rounds;
        long bytesBefore = sum.BytesSent;
        int parties = sum.Parties;
        int[] everyone = Enumerable.Range(0, parties).ToArray();
        var splits = Enumerable.Range(0, parties).Select(i => HeldOutSplit.Split(partyRows[i], spec.HeldOutFraction, spec.Seed, i)).ToArray();
        PartyRows?[] own = Enumerable.Range(0, parties).Select(i => sum.Hosts(i) ? Checked(hosted(i), partyRows[i], features) : null).ToArray();
        PartyRows?[] train = own.Select((rows, i) => rows?.Select(splits[i].Train)).ToArray();
        PartyRows?[] held = own.Select((rows, i) => rows?.Select(splits[i].HeldOut)).ToArray();
        int trainRows = splits.Sum(s => s.Train.Length);
        int heldRows = splits.Sum(s => s.HeldOut.Length);
        if (trainRows == 0)
        {
            throw new ArgumentException("No party has a training row.", nameof(partyRows));
        }

        // Step 2: the standardisation.
        long[] statistics = sum.Sum(train.Select(t => t is null ? null : Standardiser.Sums(t)).ToArray(), 2 * features, "feature sums");
        double[] opened = statistics.Select(v => v / (double)sum.Format.Scale).ToArray();
        Standardiser standardiser = Standardiser.FromSums(trainRows, opened[..features], opened[features..]);
        released?.Invoke(new ProgramRelease(Disclosure.Statistics, sum.Rounds, 2 * features, everyone));

        // Step 3: the global model, in the ring.
        (long[] global, IReadOnlyList<(string Name, long[] Shape)> shapes) = Initial(spec.Model, sum.Format);
        int count = global.Length;
        var losses = new List<double>(resume?.EpochLoss ?? Array.Empty<double>());
        int first = 0;
        if (resume is not null)
        {
            if (resume.Epochs < 0 || resume.Epochs > spec.Epochs || resume.WeightShares.Length == 0 || resume.WeightShares[0].Length != count
                || resume.EpochLoss.Length != resume.Epochs)
            {
                throw new ArgumentException($"The checkpoint (after round {resume.Epochs}) does not fit this session.", nameof(resume));
            }
            global = resume.WeightShares[0].ToArray();
            first = resume.Epochs;
        }

        // Step 4: the rounds.
        int hostedCount = everyone.Count(sum.Hosts);
        for (int round = first; round < spec.Epochs; round++)
        {
            double[] weights = Decode(global, sum.Format);
            var contributions = new double[]?[parties];
            for (int p = 0; p < parties; p++)
            {
                if (train[p] is not { } rows)
                {
                    continue;
                }
                double weight = rows.Rows / (double)trainRows;
                (double[] delta, double loss) = rows.Rows == 0 ? (new double[count], 0) : Local(spec, federated, rows, standardiser, weights, round, p);
                var contribution = new double[count + 1];
                for (int j = 0; j < count; j++)
                {
                    contribution[j] = weight * delta[j];
                }
                contribution[count] = weight * loss;
                contributions[p] = contribution;
            }
            long[] total = sum.Sum(contributions, count + 1, $"round {round + 1} update");
            for (int j = 0; j < count; j++)
            {
                global[j] = unchecked(global[j] + total[j]);
            }
            double roundLoss = total[count] / (double)sum.Format.Scale;
            losses.Add(roundLoss);
            released?.Invoke(new ProgramRelease(Disclosure.Update, sum.Rounds, count, everyone));
            released?.Invoke(new ProgramRelease(Disclosure.Loss, sum.Rounds, 1, everyone));
            roundDone?.Invoke(round + 1, roundLoss);
            checkpoint?.Invoke(new ProgramCheckpoint(round + 1, Enumerable.Repeat(global, hostedCount).Select(g => g.ToArray()).ToArray(), 0, losses.ToArray()));
        }

        // Step 5: the evaluation, summed.
        double[] final = Decode(global, sum.Format);
        var figures = new double[]?[parties];
        for (int p = 0; p < parties; p++)
        {
            if (train[p] is { } rows)
            {
                figures[p] = [Score(spec.Model, rows, standardiser, final), Score(spec.Model, held[p]!, standardiser, final)];
            }
        }
        long[] scores = sum.Sum(figures, 2, "evaluation");
        double trainScore = scores[0] / (double)sum.Format.Scale;
        double heldScore = scores[1] / (double)sum.Format.Scale;
        released?.Invoke(new ProgramRelease(Disclosure.Evaluation, sum.Rounds, 1, everyone));
        if (heldRows > 0)
        {
            released?.Invoke(new ProgramRelease(Disclosure.Evaluation, sum.Rounds, 1, everyone));
        }
        bool regression = spec.Model.Kind == ModelKind.Linear;
        Evaluation trainFigures = Figures(trainRows, trainScore, regression);
        Evaluation? heldFigures = heldRows > 0 ? Figures(heldRows, heldScore, regression) : null;

        // Step 6: every party holds the model; the recipients are named.
        int[] to = recipients.Distinct().Order().ToArray();
        bool recipientHere = to.Any(sum.Hosts);
        if (to.Length > 0)
        {
            released?.Invoke(new ProgramRelease(Disclosure.Model, sum.Rounds, count, to));
        }
        // A client recipient combines the parties' results as shares: party 0's is the model, every other's is zero.
        long[][] shares = everyone.Where(sum.Hosts).Select(p => p == 0 ? global.ToArray() : new long[count]).ToArray();
        long rounds = sum.Rounds - roundsBefore;
        int done = spec.Epochs - first;
        return new ProgramResult(recipientHere ? final : Array.Empty<double>(), shares, shapes, standardiser.Mean, standardiser.StandardDeviation,
            trainFigures, heldFigures, losses.ToArray(), spec.Epochs, rounds, done == 0 ? 0 : 1.0, sum.BytesSent - bytesBefore, 0, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One party's round: E local epochs of SGD from the global model on its own rows; its delta, scaled to the clip
    /// norm, and its last local epoch's mean loss.
    /// </summary>
    public static (double[] Delta, double Loss) Local(ProgramSpec spec, FederatedSpec federated, PartyRows rows, Standardiser standardiser, double[] global,
        int round, int party)
    {
        using var scope = NewDisposeScope();
        var backend = new PlaintextBackend(FunctionMode.Exact, spec.Sigmoid);
        Sequential<Tensor> model = ModelBuilder.Build(backend, spec.Model);
        Load(model, global);
        Tensor[]? anchor = federated.Proximal > 0 ? model.Parameters.Select(p => p.Value.clone()).ToArray() : null;
        var optimizer = new Sgd<Tensor>(backend, spec.LearningRate, weightDecay: federated.Proximal) { Anchor = anchor };
        var trainer = new Trainer<Tensor>(backend, model, ModelBuilder.Loss(backend, spec.Model.Kind), optimizer);
        (Tensor x, Tensor y) = Stack(spec.Model, rows, standardiser);
        int steps = BatchSchedule.StepsPerEpoch(rows.Rows, spec.BatchSize);
        int[][] batches = BatchSchedule.Batches(rows.Rows, spec.BatchSize, federated.LocalEpochs, LocalSeed(spec.Seed, round, party)).ToArray();
        double loss = 0;
        for (int epoch = 0; epoch < federated.LocalEpochs; epoch++)
        {
            loss = trainer.Epoch(x, y, batches[(epoch * steps)..((epoch + 1) * steps)]);
        }
        double[] local = model.Parameters.SelectMany(p => backend.Release(p.Value)).ToArray();
        var delta = new double[local.Length];
        double norm = 0;
        for (int j = 0; j < delta.Length; j++)
        {
            delta[j] = local[j] - global[j];
            norm += delta[j] * delta[j];
        }
        norm = Math.Sqrt(norm);
        if (federated.ClipNorm is { } clip && norm > clip)
        {
            double factor = clip / norm;
            for (int j = 0; j < delta.Length; j++)
            {
                delta[j] *= factor;
            }
        }
        return (delta, loss);
    }

    /// <summary>The public seed of party <paramref name="party"/>'s local batch order in round <paramref name="round"/>.</summary>
    public static int LocalSeed(int seed, int round, int party) =>
        unchecked((int)(((uint)seed * 2654435761u) ^ ((uint)(round + 1) * 40503u) ^ ((uint)(party + 1) * 2246822519u)));

    /// <summary>The public initial weights, flattened in model order and encoded, and each parameter's name and shape.</summary>
    private static (long[] Ring, IReadOnlyList<(string Name, long[] Shape)> Shapes) Initial(ModelSpec model, Mpc.Encoding.FixedPointFormat format)
    {
        using var scope = NewDisposeScope();
        var backend = new PlaintextBackend();
        Sequential<Tensor> built = ModelBuilder.Build(backend, model);
        double[] values = built.Parameters.SelectMany(p => backend.Release(p.Value)).ToArray();
        return (values.Select(format.Encode).ToArray(), built.Parameters.Select(p => (p.Name, p.Value.shape)).ToArray());
    }

    private static double[] Decode(long[] ring, Mpc.Encoding.FixedPointFormat format) => ring.Select(v => v / (double)format.Scale).ToArray();

    private static void Load(Sequential<Tensor> model, double[] weights)
    {
        int offset = 0;
        foreach (Parameter<Tensor> parameter in model.Parameters)
        {
            int n = (int)parameter.Value.numel();
            Tensor value = tensor(weights.AsSpan(offset, n).ToArray(), parameter.Value.shape);
            parameter.Value.Dispose();
            parameter.Value = value;
            offset += n;
        }
    }

    /// <summary>A party's count correct (classifiers) or summed squared error (regression) under <paramref name="weights"/>.</summary>
    private static double Score(ModelSpec spec, PartyRows rows, Standardiser standardiser, double[] weights)
    {
        if (rows.Rows == 0)
        {
            return 0;
        }
        using var scope = NewDisposeScope();
        var backend = new PlaintextBackend();
        Sequential<Tensor> model = ModelBuilder.Build(backend, spec);
        Load(model, weights);
        var trainer = new Trainer<Tensor>(backend, model, ModelBuilder.Loss(backend, spec.Kind), new Sgd<Tensor>(backend, 1));
        (Tensor x, Tensor y) = Stack(spec, rows, standardiser);
        Evaluation figures = trainer.Evaluate(x, y, spec.Kind);
        return spec.Kind == ModelKind.Linear ? figures.MeanSquaredError!.Value * rows.Rows : Math.Round(figures.Accuracy!.Value * rows.Rows);
    }

    private static Evaluation Figures(int rows, double score, bool regression) =>
        regression ? new Evaluation(rows, null, score / rows) : new Evaluation(rows, Math.Round(score) / rows, null);

    private static (Tensor X, Tensor Y) Stack(ModelSpec model, PartyRows rows, Standardiser standardiser)
    {
        int k = model.Kind is ModelKind.Softmax or ModelKind.Mlp ? model.Classes : 1;
        return (tensor(standardiser.Apply(rows), new long[] { rows.Rows, rows.Columns }), tensor(Targets.Of(rows, model), new long[] { rows.Rows, k }));
    }

    private static PartyRows Checked(PartyRows rows, int announced, int features)
    {
        if (rows.Rows != announced || rows.Columns != features)
        {
            throw new ArgumentException($"Party {rows.Party}'s rows ({rows.Rows} × {rows.Columns}) do not match its announced schema ({announced} × {features}).");
        }
        return rows;
    }
}
