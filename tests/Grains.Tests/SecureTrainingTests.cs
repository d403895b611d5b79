using Xunit.Abstractions;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Training;
using SecureCompute.Mpc.Approximations;
using SecureCompute.Mpc.Engine;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Tests;

/// <summary>
/// The secure training program on the shipped data among simulated parties, against the same program in float64:
/// utility against the exact sigmoid, fidelity (max |Δw|) against the same approximation.
/// </summary>
public class SecureTrainingTests
{
    private readonly ITestOutputHelper output;

    public SecureTrainingTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public void LogisticRegressionOnBreastCancerMatchesPlaintext()
    {
        var parties = RepositoryData.Load("breast-cancer", "benign");
        var spec = new TrainingSpec(SessionModel.Logistic, Epochs: 10, BatchSize: 64, LearningRate: 1.0, Seed: 7);
        using var mpc = new MpcEngine(parties.Count);
        TrainingResult secure = SecureTrainer.Train(mpc, parties, spec);
        double[] exact = PlaintextTrainer.Train(parties, spec, secure.Standardisation, PlaintextTrainer.Sigmoid);
        double[] same = PlaintextTrainer.Train(parties, spec, secure.Standardisation, spec.Sigmoid.Evaluate, out double[] sameLoss);
        double secureAccuracy = PlaintextTrainer.Evaluate(parties, spec, secure.Standardisation, secure.Weights);
        double exactAccuracy = PlaintextTrainer.Evaluate(parties, spec, secure.Standardisation, exact);
        double fidelity = secure.Weights.Zip(same, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"accuracy secure {secureAccuracy:P2} exact {exactAccuracy:P2}; max |dw| {fidelity:E2}; rounds/step {secure.RoundsPerStep}; {secure.Seconds:F1} s");
        Assert.True(Math.Abs(secureAccuracy - exactAccuracy) <= 0.005, $"secure {secureAccuracy:P2} vs exact {exactAccuracy:P2}");
        Assert.True(fidelity <= 0.01, $"max |dw| {fidelity}");
        Assert.Equal(21, secure.RoundsPerStep);
        Assert.Equal(10 * 9, secure.Steps);
        // The released per-epoch loss follows the plaintext run of the same program.
        Assert.Equal(10, secure.EpochLoss.Length);
        Assert.True(secure.EpochLoss.Zip(sameLoss, (a, b) => Math.Abs(a - b)).Max() <= 1e-3, string.Join(", ", secure.EpochLoss.Zip(sameLoss)));
        Assert.True(secure.EpochLoss[^1] < secure.EpochLoss[0]);
    }

    /// <summary>A degree-7 sigmoid: two rounds fewer per step (19); utility still within half a point on this data.</summary>
    [Fact]
    public void DegreeSevenSigmoidTakesNineteenRoundsPerStep()
    {
        var parties = RepositoryData.Load("breast-cancer", "benign");
        var spec = new TrainingSpec(SessionModel.Logistic, Epochs: 10, BatchSize: 64, LearningRate: 1.0, Seed: 7, SigmoidDegree: 7);
        using var mpc = new MpcEngine(parties.Count, reproducibleSeed: 1);
        TrainingResult secure = SecureTrainer.Train(mpc, parties, spec);
        double[] exact = PlaintextTrainer.Train(parties, spec, secure.Standardisation, PlaintextTrainer.Sigmoid);
        double[] same = PlaintextTrainer.Train(parties, spec, secure.Standardisation, spec.Sigmoid.Evaluate);
        double secureAccuracy = PlaintextTrainer.Evaluate(parties, spec, secure.Standardisation, secure.Weights);
        double exactAccuracy = PlaintextTrainer.Evaluate(parties, spec, secure.Standardisation, exact);
        double fidelity = secure.Weights.Zip(same, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"degree 7: accuracy secure {secureAccuracy:P2} exact {exactAccuracy:P2}; max |dw| {fidelity:E2}; rounds/step {secure.RoundsPerStep}");
        Assert.Equal(19, secure.RoundsPerStep);
        Assert.True(fidelity <= 0.01, $"max |dw| {fidelity}");
        Assert.True(Math.Abs(secureAccuracy - exactAccuracy) <= 0.005, $"secure {secureAccuracy:P2} vs exact {exactAccuracy:P2}");
    }

    [Fact]
    public void LinearRegressionOnDiabetesMatchesPlaintext()
    {
        var parties = RepositoryData.Load("diabetes", "progression");
        var spec = new TrainingSpec(SessionModel.Linear, Epochs: 20, BatchSize: 64, LearningRate: 0.1, Seed: 3);
        using var mpc = new MpcEngine(parties.Count);
        TrainingResult secure = SecureTrainer.Train(mpc, parties, spec);
        double[] plain = PlaintextTrainer.Train(parties, spec, secure.Standardisation, PlaintextTrainer.Sigmoid);
        double secureMse = PlaintextTrainer.Evaluate(parties, spec, secure.Standardisation, secure.Weights);
        double plainMse = PlaintextTrainer.Evaluate(parties, spec, secure.Standardisation, plain);
        double fidelity = secure.Weights.Zip(plain, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"mse secure {secureMse:F2} plain {plainMse:F2}; max |dw| {fidelity:E2}; rounds/step {secure.RoundsPerStep}");
        Assert.True(Math.Abs(secureMse - plainMse) <= 0.01 * plainMse, $"secure MSE {secureMse} vs {plainMse}");
        Assert.True(fidelity <= 0.01, $"max |dw| {fidelity}");
        Assert.Equal(5, secure.RoundsPerStep);
    }

    [Fact]
    public void WideErrorsOnlyWhereTheRangeAllowsThem()
    {
        // batch·√n·1.1 < 2^(62 − 48) = 16384
        Assert.True(SecureTrainer.CarriesWideError(new TrainingSpec(BatchSize: 64), 569, 16));
        Assert.True(SecureTrainer.CarriesWideError(new TrainingSpec(BatchSize: 500), 569, 16));
        Assert.False(SecureTrainer.CarriesWideError(new TrainingSpec(BatchSize: 1024), 569, 16));
        Assert.False(SecureTrainer.CarriesWideError(new TrainingSpec(BatchSize: 64), 1_000_000, 16));
        Assert.True(SecureTrainer.CarriesWideError(new TrainingSpec(BatchSize: 1024), 569, 12));
    }

    [Fact]
    public void LargeBatchFallsBackToTheNarrowPath()
    {
        var parties = RepositoryData.Load("breast-cancer", "benign");
        var spec = new TrainingSpec(SessionModel.Logistic, Epochs: 1, BatchSize: 1024, LearningRate: 1.0, Seed: 5);
        using var mpc = new MpcEngine(parties.Count, reproducibleSeed: 2);
        TrainingResult secure = SecureTrainer.Train(mpc, parties, spec);
        double[] same = PlaintextTrainer.Train(parties, spec, secure.Standardisation, spec.Sigmoid.Evaluate);
        Assert.Equal(22, secure.RoundsPerStep);
        Assert.True(secure.Weights.Zip(same, (a, b) => Math.Abs(a - b)).Max() <= 0.01);
    }

    [Fact]
    public void SameSeedSameModel()
    {
        var parties = RepositoryData.Load("breast-cancer", "benign");
        var spec = new TrainingSpec(SessionModel.Logistic, Epochs: 1, BatchSize: 64, LearningRate: 1.0, Seed: 11);
        double[] Run(long? seed)
        {
            using var mpc = new MpcEngine(parties.Count, reproducibleSeed: seed);
            return SecureTrainer.Train(mpc, parties, spec).Weights;
        }
        // Reproducible randomness: bit for bit the same model.
        Assert.Equal(Run(42), Run(42));
        // Fresh randomness changes only the truncations' stochastic rounding.
        double difference = Run(null).Zip(Run(null), (x, y) => Math.Abs(x - y)).Max();
        output.WriteLine($"unseeded runs differ by {difference:E2}");
        Assert.True(difference <= 1e-3, $"{difference}");
        Assert.Equal(spec.Batches(569).First(), spec.Batches(569).First());
    }

    /// <summary>
    /// Stopped after epoch 2 and resumed from that checkpoint in a fresh engine with the same seeds, training ends with
    /// the uninterrupted run's weights and losses, bit for bit.
    /// </summary>
    [Theory]
    [InlineData(SessionModel.Logistic)]
    [InlineData(SessionModel.Linear)]
    public void ResumedFromACheckpointEqualsTheUninterruptedRun(SessionModel model)
    {
        var parties = model == SessionModel.Logistic ? RepositoryData.Load("breast-cancer", "benign") : RepositoryData.Load("diabetes", "progression");
        var spec = new TrainingSpec(model, Epochs: 4, BatchSize: 64, LearningRate: model == SessionModel.Logistic ? 1.0 : 0.1, Seed: 9);
        var schemas = parties.Select((p, i) => PartySchema.Of($"{i}", p)).ToArray();
        TrainingCheckpoint? afterTwo = null;
        TrainingResult whole;
        using (var mpc = new MpcEngine(parties.Count, reproducibleSeed: 21))
        {
            whole = SecureTrainer.Train(mpc, schemas, i => parties[i], spec, checkpoint: c => afterTwo = c.Epochs == 2 ? c : afterTwo);
        }
        Assert.NotNull(afterTwo);
        Assert.Equal(whole.EpochLoss[..2], afterTwo!.EpochLoss);
        using var fresh = new MpcEngine(parties.Count, reproducibleSeed: 21);
        TrainingResult resumed = SecureTrainer.Train(fresh, schemas, i => parties[i], spec, resume: afterTwo);
        Assert.Equal(whole.Weights, resumed.Weights);
        Assert.Equal(whole.EpochLoss, resumed.EpochLoss);
        // The check can fail: resuming with another material position gives other masks and another result.
        using var shifted = new MpcEngine(parties.Count, reproducibleSeed: 21);
        TrainingResult wrong = SecureTrainer.Train(shifted, schemas, i => parties[i], spec, resume: afterTwo with { MaterialSequence = afterTwo.MaterialSequence + 1 });
        Assert.NotEqual(whole.Weights, wrong.Weights);
    }
}
