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
internal sealed record FrontierRow(double Epsilon, string Mechanism, double Delta, double Sigma, double AccountedSigma, double? Alpha,
    SeedSummary Secure, SeedSummary Plaintext, SeedSummary NonPrivate, double MaxTwinGap, double SecureSeconds, double CostRatio);

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
        double[] Lower, double[] Upper, IReadOnlyList<double> Epsilons, int Seeds, double Delta, AccountantKind Accountant);

    /// <summary>The held-out figure a row reports: accuracy for a classifier, mean squared error for linear regression.</summary>
    public static string Metric(ModelKind kind) => kind == ModelKind.Linear ? "mse" : "accuracy";

    /// <summary>Runs the frontier; <paramref name="progress"/> hears each finished (ε, seed).</summary>
    public static (NonPrivateBaseline NonPrivate, List<FrontierRow> Rows) Run(Settings s, Action<string> progress)
    {
        int parties = s.Parties.Length;
        ProgramSpec Spec(int seed, DpSgdSpec? privacy) =>
            new(s.Model, Epochs: s.Epochs, BatchSize: s.BatchSize, LearningRate: s.LearningRate, Seed: seed, Privacy: privacy);
        double Score(Evaluation? e) => s.Model.Kind == ModelKind.Linear ? e!.MeanSquaredError!.Value : e!.Accuracy!.Value;

        var nonPrivateScores = Enumerable.Range(1, s.Seeds).Select(seed => Score(PlaintextProgram.Run(s.Parties, Spec(seed, null), FunctionMode.Exact).HeldOut)).ToArray();
        var nonPrivate = SeedSummary.Of(nonPrivateScores);
        var secureNonPrivate = new List<double>();
        double nonPrivateSeconds = 0;
        for (int seed = 1; seed <= s.Seeds; seed++)
        {
            ProgramSpec spec = Spec(seed, null);
            using var mpc = new MpcEngine(parties, reproducibleSeed: seed);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            ProgramResult result = SecretProgram.Run(mpc, s.Parties.Select(p => p.Rows).ToArray(), s.Model.Features, i => s.Parties[i], spec, new[] { 0 });
            nonPrivateSeconds += clock.Elapsed.TotalSeconds;
            secureNonPrivate.Add(Score(PlaintextProgram.EvaluateReleased(s.Parties, spec, result.Weights, new Standardiser(result.Means, result.StandardDeviations))));
        }
        var baseline = new NonPrivateBaseline(nonPrivate, SeedSummary.Of(secureNonPrivate), nonPrivateSeconds / s.Seeds);
        progress($"non-private: {Metric(s.Model.Kind)} {nonPrivate.Mean:0.0000} ± {nonPrivate.Std:0.0000} (float64), {baseline.Secure.Mean:0.0000} ± {baseline.Secure.Std:0.0000} (secure)");

        var rows = new List<FrontierRow>();
        foreach (double epsilon in s.Epsilons)
        {
            // The model is the only release; each epoch touches a row once (disjoint public batches): T = epochs, q = 1.
            var (sigma, accounted, guarantee) = DpSgdAccounting.Calibrate(epsilon, s.Delta, s.ClipNorm, s.Model, s.Epochs,
                Mpc.Encoding.FixedPointFormat.DefaultFractionalBits, s.Accountant);
            var privacy = new DpSgdSpec(sigma, s.ClipNorm, s.Lower, s.Upper);
            var secure = new List<double>();
            var twin = new List<double>();
            double gap = 0, seconds = 0;
            for (int seed = 1; seed <= s.Seeds; seed++)
            {
                ProgramSpec spec = Spec(seed, privacy);
                int noiseBase = 1_000 * seed;
                PartyNoise Noise() => new(Enumerable.Range(0, parties).ToDictionary(p => p, p => Seed.Reproducible(noiseBase + p)()), parties, privacy.HonestParties(parties));
                using var mpc = new MpcEngine(parties, reproducibleSeed: seed);
                using PartyNoise secureNoise = Noise();
                var clock = System.Diagnostics.Stopwatch.StartNew();
                ProgramResult result = SecretProgram.Run(mpc, s.Parties.Select(p => p.Rows).ToArray(), s.Model.Features, i => s.Parties[i], spec,
                    new[] { 0 }, noise: secureNoise);
                seconds += clock.Elapsed.TotalSeconds;
                secure.Add(Score(PlaintextProgram.EvaluateReleased(s.Parties, spec, result.Weights, new Standardiser(result.Means, result.StandardDeviations))));
                using PartyNoise twinNoise = Noise();
                twin.Add(Score(PlaintextProgram.Run(s.Parties, spec, FunctionMode.Approximate, noise: twinNoise).HeldOut));
                gap = Math.Max(gap, Math.Abs(secure[^1] - twin[^1]));
                progress($"ε = {epsilon}: seed {seed}/{s.Seeds}: secure {secure[^1]:0.0000}, plaintext twin {twin[^1]:0.0000}");
            }
            rows.Add(new FrontierRow(epsilon, "dpsgd", s.Delta, sigma, accounted, guarantee.Alpha, SeedSummary.Of(secure), SeedSummary.Of(twin),
                nonPrivate, gap, seconds / s.Seeds, seconds / s.Seeds / baseline.SecureSeconds));
        }
        return (baseline, rows);
    }
}
