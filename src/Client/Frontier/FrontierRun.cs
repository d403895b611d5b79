using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Privacy;
using SecureCompute.Learning.Privacy.Accounting;
using SecureCompute.Learning.Programs;
using SecureCompute.Learning.Training;
using SecureCompute.Mpc.Engine;
using SecureCompute.Mpc.Randomness;
using static TorchSharp.torch;

namespace SecureCompute.Client.Frontier;

/// <summary>Mean and spread of one figure over seeds.</summary>
internal sealed record SeedSummary(double Mean, double Std, double Min, double Max, int Seeds)
{
    /// <summary>The summary of <paramref name="values"/> (sample standard deviation; 0 for one value).</summary>
    public static SeedSummary Of(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new SeedSummary(mean, std, values.Min(), values.Max(), values.Count);
    }
}

/// <summary>One (ε, mechanism) point of the frontier: the secure DP model, its float64 twin with the same noise, and the non-private model.</summary>
/// <remarks>For output perturbation <see cref="Sigma"/> multiplies the sensitivity <see cref="Sensitivity"/> (the
/// weights' noise is σ·Δ); for DP-SGD it multiplies the clip norm. <see cref="MaxTwinGap"/> compares each seed's
/// secure model with its twin drawing the same parties' noise — on the simulator only: on the cluster every party
/// draws its noise from its own CSPRNG, so the twin is the same mechanism with another draw and the gap is null.</remarks>
internal sealed record FrontierRow(double Epsilon, string Mechanism, double Delta, double Sigma, double AccountedSigma, double? Alpha,
    SeedSummary Secure, SeedSummary Plaintext, SeedSummary NonPrivate, double? MaxTwinGap, double SecureSeconds, double CostRatio,
    double LearningRate, double? Sensitivity = null, double? Regularisation = null, double? StatisticsSigma = null);

/// <summary>The non-private baselines: float64, and the same program on shares (its time is the DP cost ratio's denominator).</summary>
internal sealed record NonPrivateBaseline(SeedSummary Plaintext, SeedSummary Secure, double SecureSeconds);

/// <summary>
/// The privacy–utility frontier: for each ε, the noise multiplier the accountant calibrates for the program's
/// releases (DP-SGD with public disjoint batches: one Gaussian mechanism per epoch at sample rate 1, the model the only
/// release), then per seed the secure DP program (all parties in this process, the simulator transport), its float64
/// twin drawing the same parties' noise, and the non-private float64 program — each scored on the held-out rows.
/// </summary>
internal static class FrontierRun
{
    /// <summary>What one frontier needs.</summary>
    internal sealed record Settings(PartyRows[] Parties, ModelSpec Model, int Epochs, int BatchSize, double LearningRate, double ClipNorm,
        double[] Lower, double[] Upper, IReadOnlyList<double> Epsilons, int Seeds, double Delta, AccountantKind Accountant,
        IReadOnlyList<FrontierMechanism>? Mechanisms = null, double Regularisation = OutputPerturbationSpec.DefaultRegularisation,
        double? StatisticsShare = null, int? ToleratedCoalition = null, FrontierCluster? Cluster = null);

    /// <summary>The held-out figure a row reports: accuracy for a classifier, mean squared error for linear regression.</summary>
    public static string Metric(ModelKind kind) => kind == ModelKind.Linear ? "mse" : "accuracy";

    /// <summary>Runs the frontier; <paramref name="progress"/> hears each finished (ε, seed).</summary>
    public static (NonPrivateBaseline NonPrivate, List<FrontierRow> Rows) Run(Settings s, Action<string> progress)
    {
        int parties = s.Parties.Length;
        ProgramSpec Spec(int seed, DpSgdSpec? privacy) =>
            new(s.Model, Epochs: s.Epochs, BatchSize: s.BatchSize, LearningRate: s.LearningRate, Seed: seed, Privacy: privacy);
        IReadOnlyList<FrontierMechanism> mechanisms = s.Mechanisms ?? [FrontierMechanism.DpSgd];
        double Score(Evaluation? e) => s.Model.Kind == ModelKind.Linear ? e!.MeanSquaredError!.Value : e!.Accuracy!.Value;

        var nonPrivateScores = Enumerable.Range(1, s.Seeds).Select(seed => Score(PlaintextProgram.Run(s.Parties, Spec(seed, null), FunctionMode.Exact).HeldOut)).ToArray();
        var nonPrivate = SeedSummary.Of(nonPrivateScores);
        var secureNonPrivate = new List<double>();
        double nonPrivateSeconds = 0;
        for (int seed = 1; seed <= s.Seeds; seed++)
        {
            ProgramSpec spec = Spec(seed, null);
            if (s.Cluster is { } cluster)
            {
                var (ran, weights, standardiser, clusterSeconds) = cluster.RunAsync(spec, 0, 0, null, CancellationToken.None).GetAwaiter().GetResult();
                nonPrivateSeconds += clusterSeconds;
                secureNonPrivate.Add(Score(PlaintextProgram.EvaluateReleased(s.Parties, ran, weights, standardiser)));
                progress($"non-private: seed {seed}/{s.Seeds}: secure {secureNonPrivate[^1]:0.0000} (cluster)");
                continue;
            }
            using var mpc = new MpcEngine(parties, reproducibleSeed: seed);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            ProgramResult result = SecretProgram.Run(mpc, s.Parties.Select(p => p.Rows).ToArray(), s.Model.Features, i => s.Parties[i], spec, new[] { 0 });
            nonPrivateSeconds += clock.Elapsed.TotalSeconds;
            secureNonPrivate.Add(Score(PlaintextProgram.EvaluateReleased(s.Parties, spec, result.Weights, new Standardiser(result.Means, result.StandardDeviations))));
        }
        var baseline = new NonPrivateBaseline(nonPrivate, SeedSummary.Of(secureNonPrivate), nonPrivateSeconds / s.Seeds);
        progress($"non-private: {Metric(s.Model.Kind)} {nonPrivate.Mean:0.0000} ± {nonPrivate.Std:0.0000} (float64), {baseline.Secure.Mean:0.0000} ± {baseline.Secure.Std:0.0000} (secure)");

        var rows = new List<FrontierRow>();
        foreach (FrontierMechanism mechanism in mechanisms)
        {
            foreach (double epsilon in s.Epsilons)
            {
                rows.Add(mechanism == FrontierMechanism.DpSgd ? DpSgdRow(s, epsilon, baseline, Score, progress) : OutputRow(s, epsilon, baseline, Score, progress));
            }
        }
        return (baseline, rows);
    }

    private static FrontierRow DpSgdRow(Settings s, double epsilon, NonPrivateBaseline baseline, Func<Evaluation?, double> score, Action<string> progress)
    {
        // The model is the only release; each epoch touches a row once (disjoint public batches): T = epochs, q = 1.
        // With private statistics, two more Gaussian releases come first; σ and σ_s share the budget.
        int f = Mpc.Encoding.FixedPointFormat.DefaultFractionalBits;
        DpSgdSpec privacy;
        PrivacyGuarantee guarantee;
        if (s.StatisticsShare is { } share)
        {
            var (sigmaWith, statisticsSigma, composed) = DpSgdAccounting.CalibrateWithStatistics(epsilon, s.Delta, s.ClipNorm, s.Model, s.Epochs, f, share, s.Accountant);
            privacy = new DpSgdSpec(sigmaWith, s.ClipNorm, s.Lower, s.Upper, s.ToleratedCoalition, statisticsSigma);
            guarantee = composed;
        }
        else
        {
            var (plain, _, alone) = DpSgdAccounting.Calibrate(epsilon, s.Delta, s.ClipNorm, s.Model, s.Epochs, f, s.Accountant);
            privacy = new DpSgdSpec(plain, s.ClipNorm, s.Lower, s.Upper, s.ToleratedCoalition);
            guarantee = alone;
        }
        var (secure, twin, gap, seconds, ran) = Seeds(s, seed => new ProgramSpec(s.Model, Epochs: s.Epochs, BatchSize: s.BatchSize, LearningRate: s.LearningRate, Seed: seed,
            Privacy: privacy), epsilon, privacy.HonestParties(s.Parties.Length), score, seed => $"dpsgd, ε = {epsilon}: seed {seed}/{s.Seeds}", progress);
        // On the cluster the parties calibrated σ themselves (RDP, the frontier's default): report what they ran.
        privacy = ran.Privacy!;
        if (s.Cluster is not null)
        {
            guarantee = DpSgdAccounting.Guarantee(privacy, ran.Model, ran.Epochs, f, s.Delta);
        }
        double accounted = privacy.AccountedNoiseMultiplier(ModelBuilder.ParameterCount(s.Model), f);
        return new FrontierRow(epsilon, "dpsgd", s.Delta, privacy.NoiseMultiplier, accounted, guarantee.Alpha, SeedSummary.Of(secure), SeedSummary.Of(twin),
            baseline.Plaintext, gap, seconds, seconds / baseline.SecureSeconds, s.LearningRate, StatisticsSigma: privacy.StatisticsNoiseMultiplier);
    }

    private static FrontierRow OutputRow(Settings s, double epsilon, NonPrivateBaseline baseline, Func<Evaluation?, double> score, Action<string> progress)
    {
        // One Gaussian mechanism on the final weights: q = 1, one step; the learning rate is capped where the
        // sensitivity's contraction argument needs it.
        var (sigma, guarantee) = OutputPerturbationAccounting.Calibrate(epsilon, s.Delta, s.Accountant);
        var output = new OutputPerturbationSpec(sigma, s.Regularisation, OutputPerturbationSpec.DefaultRowNorm, s.Lower, s.Upper, s.ToleratedCoalition);
        SigmoidShape shape = SigmoidShape.Of(new ProgramSpec(s.Model).Sigmoid);
        double rate = Math.Min(s.LearningRate, output.MaxLearningRate(shape));
        ProgramSpec Spec(int seed) => new(s.Model, Epochs: s.Epochs, BatchSize: s.BatchSize, LearningRate: rate, Seed: seed, Output: output);
        int trainRows = s.Parties.Select((p, i) => HeldOutSplit.Split(p.Rows, HeldOutSplit.DefaultFraction, 1, i).Train.Length).Sum();
        double sensitivity = output.Sensitivity(trainRows, s.BatchSize, s.Epochs, rate, ModelBuilder.ParameterCount(s.Model),
            Mpc.Encoding.FixedPointFormat.DefaultFractionalBits, shape);
        var (secure, twin, gap, seconds, ran) = Seeds(s, Spec, epsilon, output.HonestParties(s.Parties.Length), score, seed => $"output, ε = {epsilon}: seed {seed}/{s.Seeds}", progress);
        if (s.Cluster is not null)
        {
            // The parties calibrated σ for one Gaussian release by PRV, as every output perturbation session does.
            sigma = ran.Output!.NoiseMultiplier;
            guarantee = OutputPerturbationAccounting.Guarantee(sigma, s.Delta);
        }
        return new FrontierRow(epsilon, "output", s.Delta, sigma, sigma, guarantee.Alpha, SeedSummary.Of(secure), SeedSummary.Of(twin),
            baseline.Plaintext, gap, seconds, seconds / baseline.SecureSeconds, rate, sensitivity, s.Regularisation);
    }

    /// <summary>Per seed: the secure program and its float64 twin drawing the same parties' noise, each scored on the held-out rows.</summary>
    private static (List<double> Secure, List<double> Twin, double? Gap, double Seconds, ProgramSpec Ran) Seeds(Settings s, Func<int, ProgramSpec> specOf, double epsilon,
        int honest, Func<Evaluation?, double> score, Func<int, string> label, Action<string> progress)
    {
        int parties = s.Parties.Length;
        var secure = new List<double>();
        var twin = new List<double>();
        double gap = 0, seconds = 0;
        ProgramSpec ran = specOf(1);
        for (int seed = 1; seed <= s.Seeds; seed++)
        {
            ProgramSpec spec = specOf(seed);
            if (s.Cluster is { } cluster)
            {
                // A real session: the parties' own noise, so the twin draws its own (the same mechanism, another draw).
                (ran, double[] weights, Standardiser standardiser, double clusterSeconds) =
                    cluster.RunAsync(spec, epsilon, s.Delta, s.StatisticsShare, CancellationToken.None).GetAwaiter().GetResult();
                seconds += clusterSeconds;
                secure.Add(score(PlaintextProgram.EvaluateReleased(s.Parties, ran, weights, standardiser)));
                twin.Add(score(PlaintextProgram.Run(s.Parties, ran, FunctionMode.Approximate).HeldOut));
                progress($"{label(seed)}: secure {secure[^1]:0.0000} (cluster), plaintext twin {twin[^1]:0.0000} (its own noise)");
                continue;
            }
            int noiseBase = 1_000 * seed;
            PartyNoise Noise() => new(Enumerable.Range(0, parties).ToDictionary(p => p, p => Seed.Reproducible(noiseBase + p)()), parties, honest);
            using var mpc = new MpcEngine(parties, reproducibleSeed: seed);
            using PartyNoise secureNoise = Noise();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            ProgramResult result = SecretProgram.Run(mpc, s.Parties.Select(p => p.Rows).ToArray(), s.Model.Features, i => s.Parties[i], spec,
                new[] { 0 }, noise: secureNoise);
            seconds += clock.Elapsed.TotalSeconds;
            secure.Add(score(PlaintextProgram.EvaluateReleased(s.Parties, spec, result.Weights, new Standardiser(result.Means, result.StandardDeviations))));
            using PartyNoise twinNoise = Noise();
            twin.Add(score(PlaintextProgram.Run(s.Parties, spec, FunctionMode.Approximate, noise: twinNoise).HeldOut));
            gap = Math.Max(gap, Math.Abs(secure[^1] - twin[^1]));
            progress($"{label(seed)}: secure {secure[^1]:0.0000}, plaintext twin {twin[^1]:0.0000}");
        }
        return (secure, twin, s.Cluster is null ? gap : null, seconds / s.Seeds, ran);
    }
}

/// <summary>The mechanisms a frontier measures.</summary>
internal enum FrontierMechanism
{
    /// <summary>DP-SGD: per-example clipping and party-private Gaussian noise on every step's gradient sum.</summary>
    DpSgd,

    /// <summary>Output perturbation of L2-regularised logistic regression: party-private Gaussian noise on the final weights.</summary>
    Output,
}
