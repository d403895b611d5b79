using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Privacy;
using SecureCompute.Learning.Privacy.Accounting;
using SecureCompute.Learning.Programs;
using SecureCompute.Learning.Training;
using SecureCompute.Mpc.Approximations;
using SecureCompute.Mpc.Engine;
using SecureCompute.Mpc.Randomness;
using Xunit.Abstractions;

namespace SecureCompute.Learning.Tests.Privacy;

/// <summary>
/// Output perturbation of L2-regularised logistic regression: the assumptions its sensitivity rests on (the program's
/// sigmoid is monotone with bounded slope and range), the bound itself against two runs on adjacent tables, the secure
/// program against its float64 twin holding the same noise, the calibration, and what the program releases.
/// </summary>
public sealed class OutputPerturbationTests(ITestOutputHelper output)
{
    private static readonly SigmoidShape Shape = SigmoidShape.Of(ChebyshevApproximation.Sigmoid);

    private static (double[] Lower, double[] Upper) BreastCancerBounds() => RepositoryRows.Bounds("breast-cancer");

    /// <summary>
    /// The sensitivity rests on <see cref="SigmoidShape"/>'s bounds on the program's clipped Chebyshev sigmoid
    /// (degrees 15 and 7): every slope and value found on a dense grid (step 10^-4 over [−12, 12], past the clip at ±8)
    /// lies inside them, and they are tight (within 0.02 of what the grid finds), so the sensitivity is not inflated.
    /// The slope range includes negative slopes — the fit is not monotone near the clip — which is why the bound
    /// asks λ to exceed μR².
    /// </summary>
    [Theory]
    [InlineData(15)]
    [InlineData(7)]
    public void SigmoidBoundsHoldEverywhereAndAreTight(int degree)
    {
        ChebyshevApproximation sigmoid = new ProgramSpec(new ModelSpec(ModelKind.Logistic, 1, 1, Array.Empty<int>()), SigmoidDegree: degree).Sigmoid;
        SigmoidShape shape = SigmoidShape.Of(sigmoid);
        const double step = 1e-4;
        double previous = sigmoid.Evaluate(-12), least = 0, steepest = 0, low = previous, high = previous;
        for (double x = -12 + step; x <= 12; x += step)
        {
            double value = sigmoid.Evaluate(x);
            double slope = (value - previous) / step;
            (least, steepest) = (Math.Min(least, slope), Math.Max(steepest, slope));
            (low, high) = (Math.Min(low, value), Math.Max(high, value));
            previous = value;
        }
        output.WriteLine($"degree {degree}: grid slopes [{least:G4}, {steepest:G4}] in bounds [{shape.MinSlope:G4}, {shape.MaxSlope:G4}]; values [{low:G6}, {high:G6}] in [{shape.Lowest:G6}, {shape.Highest:G6}]");
        Assert.InRange(least, shape.MinSlope, 0);
        Assert.InRange(steepest, 0, shape.MaxSlope);
        Assert.InRange(low, shape.Lowest, high);
        Assert.InRange(high, low, shape.Highest);
        Assert.True(shape.MaxSlope - steepest < 0.02 && least - shape.MinSlope < 0.02, "the slope bounds are loose");
        Assert.True(low - shape.Lowest < 0.01 && shape.Highest - high < 0.01, "the range bounds are loose");
        Assert.True(shape.MaxSlope >= 0.2, "the fit's slope at 0 is near the logistic's 1/4");
    }

    /// <summary>
    /// Two float64 runs of the program (the secret backend's functions) on tables that differ in one row — replaced
    /// by its mirror image with the other label, the worst case for a logistic gradient — with negligible noise:
    /// their weights differ by at most 2Δ (replacing is removing and adding; Δ is the bound for zeroing one row's slot)
    /// and, so that the check can fail, by a visible fraction of it. 3 parties, 1 epoch of full batches and 40 epochs
    /// of batches of 64.
    /// </summary>
    [Theory]
    [InlineData(512, 40, 0.05)]
    [InlineData(64, 40, 0.05)]
    [InlineData(512, 200, 0.04)]
    public void AdjacentTablesMoveTheModelByNoMoreThanTheSensitivity(int batch, int epochs, double lambda)
    {
        PartyRows[] parties = RepositoryRows.Load("breast-cancer");
        (double[] lower, double[] upper) = BreastCancerBounds();
        int d = parties[0].Columns;
        var spec = new OutputPerturbationSpec(1e-9, lambda, OutputPerturbationSpec.DefaultRowNorm, lower, upper);
        var program = new ProgramSpec(new ModelSpec(ModelKind.Logistic, d, 1, Array.Empty<int>()), Epochs: epochs, BatchSize: batch,
            LearningRate: spec.MaxLearningRate(Shape), Seed: 7, Output: spec);
        var random = new Random();
        int party = random.Next(parties.Length), row = random.Next(parties[party].Rows);
        double[] features = (double[])parties[party].Features.Clone();
        double[] labels = (double[])parties[party].Labels.Clone();
        for (int j = 0; j < d; j++)
        {
            // The mirror image in standardised space: lo + hi − x.
            features[row * d + j] = lower[j] + upper[j] - features[row * d + j];
        }
        labels[row] = 1 - labels[row];
        PartyRows[] adjacent = parties.Select((p, i) => i == party ? new PartyRows(p.Party, features, labels, d) : p).ToArray();

        double[] a = PlaintextProgram.Run(parties, program, FunctionMode.Approximate).Weights;
        double[] b = PlaintextProgram.Run(adjacent, program, FunctionMode.Approximate).Weights;
        double moved = Math.Sqrt(a.Zip(b, (u, v) => (u - v) * (u - v)).Sum());
        int trainRows = parties.Select((p, i) => HeldOutSplit.Split(p.Rows, program.HeldOutFraction, program.Seed, i).Train.Length).Sum();
        double sensitivity = spec.Sensitivity(trainRows, batch, epochs, program.LearningRate, d + 1, Mpc.Encoding.FixedPointFormat.DefaultFractionalBits, Shape);
        output.WriteLine($"row {row} of party {party}: ‖w − w′‖ = {moved:G4}, 2Δ = {2 * sensitivity:G4}");
        Assert.True(moved <= 2 * sensitivity, $"‖w − w′‖ = {moved} > 2Δ = {2 * sensitivity}");
        // A held-out row moves nothing (it is not trained on); a training row moves the model visibly.
        bool trained = HeldOutSplit.Split(parties[party].Rows, program.HeldOutFraction, program.Seed, party).Train.Contains(row);
        output.WriteLine($"trained on: {trained}");
        // Over 67 trained rows drawn at random the smallest move was 4.1e-3·Δ (the bound is a worst case over rows and
        // schedules); 2.5e-4·Δ leaves a 16× margin and still fails a program that ignores the row.
        Assert.True(trained ? moved > 2.5e-4 * sensitivity : moved == 0, $"‖w − w′‖ = {moved} for a {(trained ? "training" : "held-out")} row");
    }

    /// <summary>
    /// The secure program (3 parties, simulator) against its float64 twin with the same parties' noise seeds at
    /// ε = 4: the noise is the same, so the released models agree to fixed-point error (max |Δw| ≤ 0.01, the learning
    /// layer's fidelity bound) and give the same held-out accuracy; with other seeds the model moves by far more. The
    /// program releases the noised model only, and its noise has the calibrated deviation σΔ.
    /// </summary>
    [Fact]
    public void SecureOutputPerturbationMatchesItsTwinWithTheSameNoise()
    {
        PartyRows[] parties = RepositoryRows.Load("breast-cancer");
        (double[] lower, double[] upper) = BreastCancerBounds();
        int d = parties[0].Columns;
        var (sigma, achieved) = OutputPerturbationAccounting.Calibrate(4, 1e-5);
        Assert.True(achieved.Epsilon <= 4);
        var spec = new OutputPerturbationSpec(sigma, 0.05, OutputPerturbationSpec.DefaultRowNorm, lower, upper);
        var program = new ProgramSpec(new ModelSpec(ModelKind.Logistic, d, 1, Array.Empty<int>()), Epochs: 30, BatchSize: 512,
            LearningRate: spec.MaxLearningRate(Shape), Seed: 5, Output: spec);
        PartyNoise Seeds(int base_) => new(Enumerable.Range(0, 3).ToDictionary(p => p, p => Seed.Reproducible(base_ + p)()), 3, 1);
        using var mpc = new MpcEngine(3, reproducibleSeed: 6);
        var releases = new List<ProgramRelease>();
        using PartyNoise secureNoise = Seeds(500);
        ProgramResult secure = SecretProgram.Run(mpc, parties.Select(p => p.Rows).ToArray(), d, i => parties[i], program, new[] { 0 },
            released: releases.Add, noise: secureNoise);
        using PartyNoise twinNoise = Seeds(500);
        ProgramResult twin = PlaintextProgram.Run(parties, program, FunctionMode.Approximate, noise: twinNoise);
        using PartyNoise otherNoise = Seeds(900);
        ProgramResult other = PlaintextProgram.Run(parties, program, FunctionMode.Approximate, noise: otherNoise);
        double fidelity = secure.Weights.Zip(twin.Weights, (a, b) => Math.Abs(a - b)).Max();
        double apart = other.Weights.Zip(twin.Weights, (a, b) => Math.Abs(a - b)).Max();
        var standardiser = new Standardiser(secure.Means, secure.StandardDeviations);
        double secureAccuracy = PlaintextProgram.EvaluateReleased(parties, program, secure.Weights, standardiser)!.Accuracy!.Value;
        double twinAccuracy = PlaintextProgram.EvaluateReleased(parties, program, twin.Weights, standardiser)!.Accuracy!.Value;
        output.WriteLine($"σ = {sigma:G4}, max |dw| vs twin {fidelity:E2}; other noise {apart:E2}; held out secure {secureAccuracy:P2}, twin {twinAccuracy:P2}");
        Assert.True(fidelity <= 0.01, $"max |dw| {fidelity}");
        Assert.True(apart > 10 * fidelity, $"other noise moves the model by {apart}, the same noise by {fidelity}");
        Assert.True(Math.Abs(secureAccuracy - twinAccuracy) <= 0.005, $"held-out accuracy {secureAccuracy} vs twin {twinAccuracy}");
        Assert.Single(releases);
        Assert.Equal(Disclosure.Model, releases[0].Kind);
        Assert.Empty(secure.EpochLoss);
        Assert.Null(secure.HeldOut!.Accuracy);
    }

    /// <summary>
    /// The noise on the weights has deviation σΔ: 400 float64 runs with fresh party seeds, same data and schedule,
    /// so the weights differ by the noise alone. Each of the 3 parties adds deviation σΔ (the honest part alone must
    /// carry it against a coalition of the other two), so per coordinate the sample variance is within 5 standard
    /// errors (5·√(2/400)·v, plus the fixed-point unit) of 3(σΔ)²; and its mean is within 5 standard errors of the noise-free run's weights (unbiased noise).
    /// </summary>
    [Fact]
    public void TheWeightsNoiseHasTheCalibratedDeviation()
    {
        PartyRows[] parties = RepositoryRows.Load("breast-cancer");
        (double[] lower, double[] upper) = BreastCancerBounds();
        int d = parties[0].Columns;
        var spec = new OutputPerturbationSpec(2.0, 0.05, OutputPerturbationSpec.DefaultRowNorm, lower, upper);
        var program = new ProgramSpec(new ModelSpec(ModelKind.Logistic, d, 1, Array.Empty<int>()), Epochs: 2, BatchSize: 512,
            LearningRate: spec.MaxLearningRate(Shape), Seed: 5, Output: spec);
        int trainRows = parties.Select((p, i) => HeldOutSplit.Split(p.Rows, program.HeldOutFraction, program.Seed, i).Train.Length).Sum();
        double expected = Math.Pow(spec.NoiseMultiplier * spec.Sensitivity(trainRows, 512, 2, program.LearningRate, d + 1, 16, Shape), 2) * 3;
        const int runs = 400;
        double[][] weights = Enumerable.Range(0, runs).Select(_ => PlaintextProgram.Run(parties, program, FunctionMode.Approximate).Weights).ToArray();
        double[] exact = PlaintextProgram.Run(parties, program with { Output = spec with { NoiseMultiplier = 1e-9 } }, FunctionMode.Approximate).Weights;
        double bad = 0;
        for (int j = 0; j <= d; j++)
        {
            double mean = weights.Average(w => w[j]);
            if (Math.Abs(mean - exact[j]) > 5 * Math.Sqrt(expected / runs))
            {
                bad++;
                output.WriteLine($"coordinate {j}: mean {mean:G6} vs noise-free {exact[j]:G6}");
            }
            double variance = weights.Sum(w => (w[j] - mean) * (w[j] - mean)) / (runs - 1);
            if (Math.Abs(variance - expected) > 5 * Math.Sqrt(2.0 / runs) * expected + Math.Pow(2, -32))
            {
                bad++;
                output.WriteLine($"coordinate {j}: variance {variance:G4} vs {expected:G4}");
            }
        }
        Assert.Equal(0, bad);
    }

    [Fact]
    public void OutputPerturbationRefusesWhatItsBoundDoesNotCover()
    {
        (double[] lower, double[] upper) = BreastCancerBounds();
        var spec = new OutputPerturbationSpec(1.0, 0.05, OutputPerturbationSpec.DefaultRowNorm, lower, upper);
        Assert.Contains(spec.Validate(ModelKind.Softmax, 30, 3, 1.0, Shape), p => p.Contains("logistic regression only"));
        Assert.Contains(spec.Validate(ModelKind.Logistic, 30, 3, spec.MaxLearningRate(Shape) * 1.01, Shape), p => p.Contains("learning rate"));
        Assert.Contains(spec.Validate(ModelKind.Logistic, 29, 3, 1.0, Shape), p => p.Contains("public bounds"));
        Assert.Contains((spec with { Regularisation = 0 }).Validate(ModelKind.Logistic, 30, 3, 1.0, Shape), p => p.Contains("regularisation"));
        Assert.Contains((spec with { Regularisation = 0.01 }).Validate(ModelKind.Logistic, 30, 3, 1.0, Shape), p => p.Contains("negative curvature"));
        Assert.Contains((spec with { RowNorm = 1 }).Validate(ModelKind.Logistic, 30, 3, 1.0, Shape), p => p.Contains("row norm"));
        Assert.Empty(spec.Validate(ModelKind.Logistic, 30, 3, spec.MaxLearningRate(Shape), Shape));
        var both = new ProgramSpec(new ModelSpec(ModelKind.Logistic, 30, 1, Array.Empty<int>()), Output: spec,
            Privacy: new DpSgdSpec(1, 1, lower, upper));
        Assert.Contains(both.Validate(), p => p.Contains("not both"));
    }
}
