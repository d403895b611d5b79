using System.Diagnostics;
using SecureCompute.Grains.Data;
using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Training;

/// <summary>
/// Minibatch SGD for linear and logistic regression on secret-shared rows, written once against the engine's
/// operations: the simulator runs it for all parties at once, and in a cluster every party's party session grain runs it for
/// its own party, in lockstep, its opens combined by the coordinator.
/// </summary>
/// <remarks>
/// Steps:
/// 1. Each party shares its row count (public), Σx and Σx² per feature; their sums are opened — the only statistics
///    revealed — and give the mean and standard deviation. [1 round]
/// 2. Each party standardises its own rows, appends a 1 for the bias, and shares rows and labels (zero sharing: nothing
///    is sent). The shared rows are stacked in party order; w starts at 0.
/// 3. Per batch (public indices): p = sigmoid(X_b·w), the product left untruncated and its truncation folded into
///    the sigmoid's map, the series' sum left at 2f bits [1 + 17 rounds] (linear: p = X_b·w [2 rounds]);
///    e = p − y_b; g = X_bᵀ·e, a product at 3f bits truncated by 2f [2 rounds] (linear: at f bits, 2 rounds);
///    w ← w − (lr / |b|)·g [1 round]. Logistic: 21 rounds per step with the degree-15 sigmoid, 19 with degree 7
///    (one more when the batch is too large for the 3f range: <see cref="CarriesWideError"/>); linear: 5.
/// 4. At the end of each epoch, the epoch's errors e are squared and summed on shares and the sum opened: the per-epoch
///    loss, a documented release [3 rounds per epoch (4 when the errors were kept at 2f bits), not counted in the
///    rounds per step].
/// 5. w is revealed to the model's recipient parties only (<see cref="MpcEngine.RevealTo"/>: one round, the coordinator
///    and the others learn nothing), and each party keeps its share of w for client recipients.
/// Every opening of a value is a labelled release (<see cref="Release"/>: statistics, loss, model), reported to the caller.
/// </remarks>
public static class SecureTrainer
{
    /// <summary>Trains on <paramref name="parties"/>' rows (one dataset per party, same schema) among the simulator's parties.</summary>
    public static TrainingResult Train(MpcEngine mpc, IReadOnlyList<PartyDataset> parties, TrainingSpec spec, Action<int, double>? epochDone = null)
    {
        PartySchemas.RequireSame(parties);
        var schemas = parties.Select((p, i) => PartySchema.Of($"{i}", p)).ToArray();
        return Train(mpc, schemas, i => parties[i], spec, epochDone);
    }

    /// <summary>
    /// Trains among the engine's parties: <paramref name="schemas"/> are every party's public facts (index = party),
    /// and <paramref name="hosted"/> gives the rows of each party the engine hosts — never asked for another's.
    /// </summary>
    /// <param name="mpc">The engine.</param>
    /// <param name="schemas">Every party's public schema, index = party.</param>
    /// <param name="hosted">The rows of a hosted party.</param>
    /// <param name="spec">Hyper-parameters.</param>
    /// <param name="epochDone">Called with each released epoch loss.</param>
    /// <param name="checkpoint">Called at each epoch boundary with what continuing needs (step 4 done).</param>
    /// <param name="resume">Continue from this checkpoint: the set-up (steps 1–2) runs again — deterministic, and it
    /// uses no dealer material — then w is the checkpoint's, material continues at its sequence, and the batches of the
    /// completed epochs are skipped. With the same seeds the result equals an uninterrupted run's, bit for bit.</param>
    /// <param name="released">Called after each release (kind, round, size, recipients).</param>
    public static TrainingResult Train(MpcEngine mpc, IReadOnlyList<PartySchema> schemas, Func<int, PartyDataset> hosted, TrainingSpec spec,
        Action<int, double>? epochDone = null, Action<TrainingCheckpoint>? checkpoint = null, TrainingCheckpoint? resume = null,
        Action<Release>? released = null)
    {
        if (schemas.Count != mpc.Parties)
        {
            throw new ArgumentException($"{schemas.Count} party schemas for {mpc.Parties} parties.", nameof(schemas));
        }
        PartySchemas.RequireSame(schemas);
        IReadOnlyList<string> problems = spec.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(spec));
        }
        var clock = Stopwatch.StartNew();
        mpc.ResetCounters();
        using var scope = NewDisposeScope();
        int d = schemas[0].Columns;
        PartyDataset? Mine(int i)
        {
            if (!mpc.Hosts(i))
            {
                return null;
            }
            PartyDataset data = hosted(i);
            if (data.Rows != schemas[i].Rows || !data.FeatureNames.SequenceEqual(schemas[i].FeatureNames))
            {
                throw new ArgumentException($"Party {schemas[i].Party}'s rows do not match its announced schema.", nameof(hosted));
            }
            if (spec.Model == SessionModel.Logistic)
            {
                data.RequireBinaryLabels();   // each party checks its own labels; nobody learns which classes another holds
            }
            return data;
        }
        PartyDataset?[] local = Enumerable.Range(0, schemas.Count).Select(Mine).ToArray();
        int[] everyone = Enumerable.Range(0, schemas.Count).ToArray();
        Standardisation statistics = Aggregate(mpc, schemas, local);
        released?.Invoke(new Release(Interfaces.Governance.ReleaseKind.Statistics, mpc.Rounds, 2 * d, everyone));

        SharedTensor x = SharedTensor.Concatenate(schemas.Select((p, i) => mpc.ShareReal(new long[] { p.Rows, d + 1 },
            local[i] is { } data ? Design(statistics.Apply(data.Features), data.Rows, d) : null, i)).ToArray(), 0);
        SharedTensor y = SharedTensor.Concatenate(schemas.Select((p, i) => mpc.ShareReal(new long[] { p.Rows, 1 },
            local[i] is { } data ? tensor(data.Labels, new long[] { data.Rows, 1 }) : null, i)).ToArray(), 0);
        SharedTensor w = mpc.Share(new long[] { d + 1, 1 }, mpc.Hosts(0) ? zeros(new long[] { d + 1, 1 }, ScalarType.Int64) : null, 0);
        if (resume is not null)
        {
            if (resume.WeightShares.Length != mpc.HostedParties.Count || resume.WeightShares.Any(s => s.Length != d + 1) || resume.Epochs > spec.Epochs)
            {
                throw new ArgumentException($"The checkpoint (after epoch {resume.Epochs}) does not fit this session.", nameof(resume));
            }
            w = new SharedTensor(mpc.HostedParties.Select((party, i) =>
                new Mpc.Sharing.ShareTensor(party, tensor(resume.WeightShares[i], new long[] { d + 1, 1 }).to(mpc.Device))).ToArray());
            mpc.ResumeMaterialAt(resume.MaterialSequence);
        }

        int rows = schemas.Sum(p => p.Rows);
        int steps = 0;
        long stepRounds = 0;
        int stepsPerEpoch = (rows + spec.BatchSize - 1) / spec.BatchSize;
        var epochErrors = new List<SharedTensor>();
        var sigmoid = spec.Sigmoid;
        bool wideError = CarriesWideError(spec, rows, mpc.Format.FractionalBits);
        var epochLoss = new List<double>(resume?.EpochLoss ?? Array.Empty<double>());
        int skip = (resume?.Epochs ?? 0) * stepsPerEpoch;
        steps = skip;
        foreach (int[] batch in spec.Batches(rows).Skip(skip))
        {
            using var stepScope = NewDisposeScope();
            long roundsBefore = mpc.Rounds;
            Tensor index = tensor(batch.Select(i => (long)i).ToArray());
            SharedTensor xb = x.Gather(0, index);
            SharedTensor yb = y.Gather(0, index);
            SharedTensor error;
            SharedTensor gradient;
            if (spec.Model == SessionModel.Logistic && wideError)
            {
                // p and e stay at 2f fractional bits; the gradient product carries 3f and one truncation by 2f
                // brings it back, which saves the sigmoid's last round (range argument in CarriesWideError).
                SharedTensor p = mpc.SigmoidOfMatMul(xb, w, sigmoid, truncateResult: false);
                SharedTensor wideErr = p.Subtract(yb.MultiplyPublic(mpc.Format.Scale));
                SharedTensor wideGradient = mpc.MatMul(xb.Transpose(), wideErr);
                gradient = mpc.Truncate(wideGradient, 2 * mpc.Format.FractionalBits);
                error = wideErr;
            }
            else
            {
                SharedTensor p = spec.Model == SessionModel.Logistic ? mpc.SigmoidOfMatMul(xb, w, sigmoid) : mpc.MatMulFixed(xb, w);
                error = p.Subtract(yb);
                gradient = mpc.MatMulFixed(xb.Transpose(), error);
            }
            SharedTensor update = mpc.Scale(gradient, spec.LearningRate / batch.Length);
            SharedTensor next = w.Subtract(update);
            foreach (var share in next.Shares.Concat(error.Shares))
            {
                share.Value.MoveToOuterDisposeScope();
            }
            w = next;
            epochErrors.Add(error);
            steps++;
            stepRounds += mpc.Rounds - roundsBefore;
            if (steps % stepsPerEpoch == 0)
            {
                epochLoss.Add(EpochLoss(mpc, epochErrors, rows, spec.Model == SessionModel.Logistic && wideError));
                released?.Invoke(new Release(Interfaces.Governance.ReleaseKind.Loss, mpc.Rounds, 1, everyone));
                epochDone?.Invoke(epochLoss.Count, epochLoss[^1]);
                checkpoint?.Invoke(new TrainingCheckpoint(epochLoss.Count,
                    w.Shares.Select(s => s.Value.cpu().contiguous().data<long>().ToArray()).ToArray(), mpc.MaterialSequence, epochLoss.ToArray()));
            }
        }
        double roundsPerStep = steps == skip ? 0 : stepRounds / (double)(steps - skip);
        long[][] finalShares = w.Shares.Select(s => s.Value.cpu().contiguous().data<long>().ToArray()).ToArray();
        int[] recipients = (spec.ModelRecipients ?? everyone).Distinct().Order().ToArray();
        // No recipient party (only clients receive the model): no round; each party's share goes to them directly.
        Tensor?[] revealed = recipients.Length == 0 ? Array.Empty<Tensor?>() : mpc.RevealTo(w, recipients);
        if (recipients.Length > 0)
        {
            released?.Invoke(new Release(Interfaces.Governance.ReleaseKind.Model, mpc.Rounds, d + 1, recipients));
        }
        double[] weights = revealed.FirstOrDefault(r => r is not null) is { } ring
            ? mpc.Format.Decode(ring).contiguous().data<double>().ToArray()
            : Array.Empty<double>();
        return new TrainingResult(weights, statistics, steps, mpc.Rounds, roundsPerStep, mpc.BytesOpened, mpc.DealerBytes,
            clock.Elapsed.TotalSeconds, epochLoss.ToArray(), finalShares);
    }

    /// <summary>Step 4: Σ e² over the epoch's rows, on shares; only the mean is opened. Disposes the errors.</summary>
    /// <remarks>Errors kept at 2f fractional bits are truncated once here, per epoch, not per step.</remarks>
    private static double EpochLoss(MpcEngine mpc, List<SharedTensor> errors, int rows, bool wide)
    {
        using SharedTensor concatenated = SharedTensor.Concatenate(errors, 0);
        using SharedTensor? truncated = wide ? mpc.Truncate(concatenated) : null;
        using SharedTensor squares = mpc.SquareFixed(truncated ?? concatenated);
        using SharedTensor sum = squares.Sum(0);
        double loss = mpc.OpenReal(sum).item<double>() / rows;
        foreach (SharedTensor e in errors)
        {
            e.Dispose();
        }
        errors.Clear();
        return loss;
    }

    /// <summary>
    /// Whether the logistic gradient may be formed from errors at 2f fractional bits: the product then holds
    /// Σ_b x·e·2^(3f), and truncation needs it below 2^62. Standardised features satisfy |x| ≤ √(n − 1) (a z-score
    /// cannot exceed that over n rows) and |e| ≤ 1.1 (sigmoid approximation within ±0.1 of [0, 1]), so
    /// batch·√n·1.1·2^(3f) &lt; 2^62 suffices; otherwise the step truncates p first (one more round).
    /// </summary>
    internal static bool CarriesWideError(TrainingSpec spec, int rows, int fractionalBits) =>
        spec.BatchSize * Math.Sqrt(rows) * 1.1 < Math.Pow(2, 62 - 3 * fractionalBits);

    /// <summary>Step 1: share each party's Σx and Σx², open only their totals.</summary>
    private static Standardisation Aggregate(MpcEngine mpc, IReadOnlyList<PartySchema> schemas, PartyDataset?[] local)
    {
        int d = schemas[0].Columns;
        SharedTensor? total = null;
        for (int i = 0; i < schemas.Count; i++)
        {
            Tensor? sums = null;
            if (local[i] is { } data)
            {
                var values = new double[2 * d];
                for (int r = 0; r < data.Rows; r++)
                {
                    for (int c = 0; c < d; c++)
                    {
                        double v = data.Features[r * d + c];
                        values[c] += v;
                        values[d + c] += v * v;
                    }
                }
                sums = tensor(values);
            }
            SharedTensor shared = mpc.ShareReal(new long[] { 2 * d }, sums, i);
            total = total is null ? shared : total.Add(shared);
        }
        double[] opened = mpc.OpenReal(total!).data<double>().ToArray();
        return Standardisation.FromSums(schemas.Sum(p => (long)p.Rows), opened[..d], opened[d..]);
    }

    /// <summary>Standardised rows with a trailing 1 for the bias.</summary>
    internal static Tensor Design(double[] standardised, int rows, int d)
    {
        var values = new double[rows * (d + 1)];
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(standardised, r * d, values, r * (d + 1), d);
            values[r * (d + 1) + d] = 1;
        }
        return tensor(values, new long[] { rows, d + 1 });
    }
}
