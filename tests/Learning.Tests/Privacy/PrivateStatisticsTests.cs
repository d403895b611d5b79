using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Privacy;
using SecureCompute.Learning.Privacy.Accounting;
using SecureCompute.Learning.Programs;
using SecureCompute.Mpc.Engine;
using SecureCompute.Mpc.Randomness;
using Xunit.Abstractions;

namespace SecureCompute.Learning.Tests.Privacy;

/// <summary>
/// Private standardisation statistics for DP-SGD: the two noisy releases against an independent plaintext
/// reference (their noise's mean, variance and tails over fresh runs), the secure program against its float64 twin
/// holding the same noise, the budget split's calibration, and refusals.
/// </summary>
public sealed class PrivateStatisticsTests(ITestOutputHelper output)
{
    private const int Parties = 3, RowsPerParty = 10, Features = 2;
    private static readonly double[] Lower = [0, -5];
    private static readonly double[] Upper = [10, 5];

    /// <summary>Three parties' small tables, values inside the bounds and near their middles (so the centre's clamp to
    /// [−1, 1] never engages), fresh from <paramref name="seed"/>.</summary>
    private static PartyRows[] Tables(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Parties).Select(p =>
        {
            var features = new double[RowsPerParty * Features];
            var labels = new double[RowsPerParty];
            for (int r = 0; r < RowsPerParty; r++)
            {
                features[r * Features] = 3 + 4 * random.NextDouble();
                features[r * Features + 1] = -2 + 3 * random.NextDouble();
                labels[r] = features[r * Features] > 5 ? 1 : 0;
            }
            return new PartyRows($"party-{p}", features, labels, Features);
        }).ToArray();
    }

    /// <summary>
    /// 300 runs of the secret program (fresh tables, fresh noise, no held-out rows, 1 epoch) with σ_s = 0.05 and the
    /// default coalition (t = n − 1, so each of the 3 parties adds the full variance): the released centre times n,
    /// minus the exact Σz computed here from the raw rows, is the noise — mean 0 and variance 3(σ_s√d)² per feature;
    /// likewise the released deviation (Σ|z − centre|, read back from the scale) with sensitivity 2√d. Tolerances: 5
    /// standard errors of the mean (σ/√600) and of the sample variance (√(2/600)·v); the share beyond 2σ within 5
    /// binomial standard errors of the normal's 4.55%.
    /// </summary>
    [Fact]
    public void TheReleasedStatisticsCarryTheStatedNoiseAboutTheExactSums()
    {
        const int runs = 300;
        const double sigma = 0.05;
        var privacy = new DpSgdSpec(1.0, 1.0, Lower, Upper, StatisticsNoiseMultiplier: sigma);
        var spec = new ProgramSpec(new ModelSpec(ModelKind.Logistic, Features, 1, Array.Empty<int>()), Epochs: 1, BatchSize: 30, LearningRate: 1,
            HeldOutFraction: 0, Privacy: privacy);
        var meanNoise = new List<double>();
        var deviationNoise = new List<double>();
        int n = Parties * RowsPerParty;
        for (int run = 0; run < runs; run++)
        {
            PartyRows[] tables = Tables(10_000 + run);
            using var mpc = new MpcEngine(Parties, reproducibleSeed: run + 1);
            ProgramResult result = SecretProgram.Run(mpc, tables.Select(t => t.Rows).ToArray(), Features, i => tables[i], spec, Array.Empty<int>());
            for (int j = 0; j < Features; j++)
            {
                double mid = (Lower[j] + Upper[j]) / 2, half = (Upper[j] - Lower[j]) / 2;
                double[] z = tables.SelectMany(t => Enumerable.Range(0, t.Rows).Select(r => (Math.Clamp(t.Features[r * Features + j], Lower[j], Upper[j]) - mid) / half)).ToArray();
                double centre = (result.Means[j] - mid) / half;
                meanNoise.Add(centre * n - z.Sum());
                double scale = result.StandardDeviations[j] / half;
                Assert.True(scale > DpSgdSpec.StatisticsScaleFloor, "the test's data keeps the scale above its floor");
                deviationNoise.Add(scale / DpSgdSpec.DeviationToScale * n - z.Sum(v => Math.Abs(v - centre)));
            }
        }
        Check(meanNoise, Math.Sqrt(Parties) * sigma * DpSgdSpec.MeanSensitivity(Features), "Σz");
        Check(deviationNoise, Math.Sqrt(Parties) * sigma * DpSgdSpec.DeviationSensitivity(Features), "Σ|z − μ|");
    }

    private void Check(List<double> noise, double sd, string what)
    {
        double mean = noise.Average();
        double variance = noise.Sum(v => (v - mean) * (v - mean)) / (noise.Count - 1);
        double tails = noise.Count(v => Math.Abs(v) > 2 * sd) / (double)noise.Count;
        output.WriteLine($"{what}: mean {mean:E3}, sd {Math.Sqrt(variance):F4} vs {sd:F4}, beyond 2σ {tails:P2}");
        Assert.True(Math.Abs(mean) <= 5 * sd / Math.Sqrt(noise.Count), $"{what}: noise mean {mean}");
        Assert.True(Math.Abs(variance - sd * sd) <= 5 * Math.Sqrt(2.0 / noise.Count) * sd * sd, $"{what}: variance {variance} vs {sd * sd}");
        double p = 0.0455;
        Assert.True(Math.Abs(tails - p) <= 5 * Math.Sqrt(p * (1 - p) / noise.Count), $"{what}: share beyond 2σ {tails}");
    }

    /// <summary>
    /// Breast cancer, private statistics at ε = 4 (σ and σ_s calibrated together), 5 epochs: on shares and in float64
    /// with the same parties' noise seeds the statistics agree to 10^-3 of the bounds' half-width (fixed-point sums)
    /// and the models to the learning layer's fidelity bound (max |Δw| ≤ 0.01); with other seeds the statistics differ
    /// (the noise is real). The program releases the two statistics, then the model — nothing else.
    /// </summary>
    [Fact]
    public void OnBreastCancerTheSecureProgramMatchesItsTwinWithTheSameNoise()
    {
        PartyRows[] parties = RepositoryRows.Load("breast-cancer");
        int d = parties[0].Columns;
        (double[] lower, double[] upper) = RepositoryRows.Bounds("breast-cancer");
        var model = new ModelSpec(ModelKind.Logistic, d, 1, Array.Empty<int>());
        var (sigma, statisticsSigma, guarantee) = DpSgdAccounting.CalibrateWithStatistics(4, 1e-5, 1.0, model, 5, 16);
        var privacy = new DpSgdSpec(sigma, 1.0, lower, upper, StatisticsNoiseMultiplier: statisticsSigma);
        var spec = new ProgramSpec(model, Epochs: 5, BatchSize: 512, LearningRate: 4, Seed: 2, Privacy: privacy);
        PartyNoise Seeds(int offset) => new(Enumerable.Range(0, 3).ToDictionary(p => p, p => Seed.Reproducible(offset + p)()), 3, 1);
        using var mpc = new MpcEngine(parties.Length, reproducibleSeed: 5);
        var releases = new List<ProgramRelease>();
        using PartyNoise secureNoise = Seeds(500);
        ProgramResult secure = SecretProgram.Run(mpc, parties.Select(p => p.Rows).ToArray(), d, i => parties[i], spec, new[] { 0 }, released: releases.Add, noise: secureNoise);
        using PartyNoise twinNoise = Seeds(500);
        ProgramResult twin = PlaintextProgram.Run(parties, spec, FunctionMode.Approximate, noise: twinNoise);
        using PartyNoise otherNoise = Seeds(900);
        ProgramResult other = PlaintextProgram.Run(parties, spec, FunctionMode.Approximate, noise: otherNoise);
        double statistics = Enumerable.Range(0, d).Max(j => Math.Max(Math.Abs(secure.Means[j] - twin.Means[j]), Math.Abs(secure.StandardDeviations[j] - twin.StandardDeviations[j]))
            / ((upper[j] - lower[j]) / 2));
        double otherStatistics = Enumerable.Range(0, d).Max(j => Math.Abs(other.Means[j] - twin.Means[j]) / ((upper[j] - lower[j]) / 2));
        double fidelity = secure.Weights.Zip(twin.Weights, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"ε {guarantee.Epsilon:F4}, σ {sigma:F3}, σ_s {statisticsSigma:F3}; statistics apart {statistics:E2} (other noise {otherStatistics:E2}); max |dw| {fidelity:E2}");
        Assert.True(statistics <= 1e-3, $"statistics differ by {statistics} of a half-width");
        Assert.True(otherStatistics > 100 * statistics, "other noise gives other statistics");
        Assert.True(fidelity <= 0.01, $"max |dw| {fidelity}");
        Assert.Equal(new[] { Disclosure.Statistics, Disclosure.Statistics, Disclosure.Model }, releases.Select(r => r.Kind));
        Assert.All(releases.Take(2), r => Assert.Equal(d, r.Elements));
        Assert.Empty(secure.EpochLoss);
    }

    /// <summary>
    /// The split: for ε ∈ {0.5, 1, 4}, 20 epochs, shares 0.1 and 0.3, the composed history (two statistics releases,
    /// then the epochs) meets ε and spends at least 99% of it (RDP composes Gaussians exactly, so only the bisection's
    /// tolerance is lost), and σ_s/σ is the split's √(2(1 − f)/(fE)) once each allowance is taken off.
    /// </summary>
    [Theory]
    [InlineData(0.5, 0.3)]
    [InlineData(1, 0.3)]
    [InlineData(4, 0.1)]
    public void TheBudgetSplitMeetsTheTargetAndGivesTheStatisticsTheirShare(double epsilon, double share)
    {
        var model = new ModelSpec(ModelKind.Logistic, 30, 1, Array.Empty<int>());
        var (sigma, statisticsSigma, guarantee) = DpSgdAccounting.CalibrateWithStatistics(epsilon, 1e-5, 1.0, model, 20, 16, share);
        var spec = new DpSgdSpec(sigma, 1.0, new double[30], Enumerable.Repeat(1.0, 30).ToArray(), StatisticsNoiseMultiplier: statisticsSigma);
        double composed = DpSgdAccounting.Guarantee(spec, model, 20, 16, 1e-5).Epsilon;
        Assert.InRange(composed, 0.99 * epsilon, epsilon);
        Assert.Equal(guarantee.Epsilon, composed, 9);
        double ratio = spec.AccountedStatisticsNoiseMultiplier(16)!.Value / spec.AccountedNoiseMultiplier(31, 16);
        Assert.Equal(Math.Sqrt(2 * (1 - share) / (share * 20)), ratio, 9);
        // The same budget without statistics buys a smaller σ: the statistics cost training noise.
        Assert.True(DpSgdAccounting.Calibrate(epsilon, 1e-5, 1.0, model, 20, 16).Sigma < sigma);
    }

    [Fact]
    public void ABadStatisticsMultiplierOrShareIsRefused()
    {
        var spec = new DpSgdSpec(1.0, 1.0, Lower, Upper, StatisticsNoiseMultiplier: 0);
        Assert.Contains(spec.Validate(Features, Parties), p => p.Contains("statistics' noise multiplier"));
        var model = new ModelSpec(ModelKind.Logistic, Features, 1, Array.Empty<int>());
        Assert.Throws<ArgumentOutOfRangeException>(() => DpSgdAccounting.CalibrateWithStatistics(1, 1e-5, 1, model, 20, 16, statisticsShare: 1));
        PartyRows[] tables = Tables(1);
        var program = new ProgramSpec(model, Epochs: 1, Privacy: spec);
        using var mpc = new MpcEngine(Parties);
        Assert.Throws<ArgumentException>(() => SecretProgram.Run(mpc, tables.Select(t => t.Rows).ToArray(), Features, i => tables[i], program, Array.Empty<int>()));
    }

    /// <summary>
    /// A resumed program with private statistics (checkpoint after epoch 2 of 4) reuses the statistics its checkpoint
    /// carries: it opens none again (its releases are the model's only), and it standardises exactly as the
    /// interrupted run did.
    /// </summary>
    [Fact]
    public void AResumedProgramReusesItsReleasedStatistics()
    {
        PartyRows[] parties = RepositoryRows.Load("breast-cancer");
        int d = parties[0].Columns;
        (double[] lower, double[] upper) = RepositoryRows.Bounds("breast-cancer");
        var privacy = new DpSgdSpec(5, 1.0, lower, upper, StatisticsNoiseMultiplier: 3);
        var spec = new ProgramSpec(new ModelSpec(ModelKind.Logistic, d, 1, Array.Empty<int>()), Epochs: 4, BatchSize: 512, LearningRate: 4, Seed: 3, Privacy: privacy);
        int[] rows = parties.Select(p => p.Rows).ToArray();
        var checkpoints = new List<ProgramCheckpoint>();
        ProgramResult first;
        using (var mpc = new MpcEngine(parties.Length, reproducibleSeed: 8))
        {
            first = SecretProgram.Run(mpc, rows, d, i => parties[i], spec, new[] { 0 }, checkpoint: checkpoints.Add);
        }
        ProgramCheckpoint after2 = checkpoints[1];
        Assert.Equal(2 * d, after2.Statistics!.Length);
        var releases = new List<ProgramRelease>();
        ProgramResult resumed;
        using (var mpc = new MpcEngine(parties.Length, reproducibleSeed: 8))
        {
            resumed = SecretProgram.Run(mpc, rows, d, i => parties[i], spec, new[] { 0 }, resume: after2, released: releases.Add);
        }
        Assert.Equal(new[] { Disclosure.Model }, releases.Select(r => r.Kind));
        Assert.Equal(first.Means, resumed.Means);
        Assert.Equal(first.StandardDeviations, resumed.StandardDeviations);
    }
}
