using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Programs;
using SecureCompute.Mpc.Engine;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Tests;

/// <summary>The whole program — split, secure standardisation, training, evaluation on shares, reveal — against its plaintext twin, and its resume.</summary>
public sealed class ProgramTests
{
    private static readonly ProgramSpec Softmax = new(new ModelSpec(ModelKind.Softmax, 5, 3, Array.Empty<int>()), Epochs: 3, BatchSize: 16, LearningRate: 0.5, Seed: 4);

    /// <summary>Three parties' rows: the secret run's parameters within 0.01 of the twin's (tolerance: TrainingTests), the same held-out rows, accuracy within 2 rows of the exact baseline.</summary>
    [Fact]
    public void SecretProgramMatchesThePlaintextProgram()
    {
        PartyRows[] parties = Parties(Random.Shared.Next());
        using var mpc = new MpcEngine(3);
        ProgramResult secret = SecretProgram.Run(mpc, parties.Select(p => p.Rows).ToArray(), 5, i => parties[i], Softmax, new[] { 0, 1, 2 });
        ProgramResult twin = PlaintextProgram.Run(parties, Softmax, FunctionMode.Approximate);
        ProgramResult exact = PlaintextProgram.Run(parties, Softmax, FunctionMode.Exact);
        Assert.Equal(twin.Weights.Length, secret.Weights.Length);
        double delta = secret.Weights.Zip(twin.Weights, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(delta <= 0.01, $"max |Δw| = {delta}");
        Assert.Equal(exact.HeldOut!.Rows, secret.HeldOut!.Rows);
        Assert.Equal(parties.Sum(p => (int)Math.Ceiling(0.2 * p.Rows)), secret.HeldOut.Rows);
        Assert.True(Math.Abs(secret.HeldOut.Accuracy!.Value - exact.HeldOut.Accuracy!.Value) <= 2.0 / secret.HeldOut.Rows + 1e-9,
            $"held-out accuracy {secret.HeldOut.Accuracy} vs {exact.HeldOut.Accuracy}");
        Assert.Equal(5, secret.Means.Length);
        Assert.True(secret.Means.Zip(exact.Means, (a, b) => Math.Abs(a - b)).Max() < 1e-3, "means from the opened sums");
    }

    private static readonly ProgramSpec Mlp = Softmax with { Model = new ModelSpec(ModelKind.Mlp, 5, 3, new[] { 6 }), Epochs = 2 };

    public static TheoryData<string> Programs => new() { "softmax", "mlp" };

    /// <summary>Resumed after epoch 1 from a checkpoint (same seeds), the program ends with the uninterrupted run's shares, bit for bit.</summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void ResumedFromACheckpointEqualsTheUninterruptedRun(string name)
    {
        ProgramSpec spec = name == "mlp" ? Mlp : Softmax;
        PartyRows[] parties = Parties(Random.Shared.Next(), rows: 60);
        int[] rows = parties.Select(p => p.Rows).ToArray();
        var checkpoints = new List<ProgramCheckpoint>();
        ProgramResult whole;
        using (var mpc = new MpcEngine(3, reproducibleSeed: 42))
        {
            whole = SecretProgram.Run(mpc, rows, 5, i => parties[i], spec, new[] { 0 }, checkpoint: checkpoints.Add);
        }
        Assert.Equal(spec.Epochs, checkpoints.Count);
        ProgramResult resumed;
        using (var mpc = new MpcEngine(3, reproducibleSeed: 42))
        {
            resumed = SecretProgram.Run(mpc, rows, 5, i => parties[i], spec, new[] { 0 }, resume: checkpoints[0]);
        }
        Assert.Equal(whole.WeightShares.Length, resumed.WeightShares.Length);
        for (int i = 0; i < whole.WeightShares.Length; i++)
        {
            Assert.Equal(whole.WeightShares[i], resumed.WeightShares[i]);
        }
        Assert.Equal(whole.Weights, resumed.Weights);
        Assert.Equal(whole.EpochLoss, resumed.EpochLoss);
    }

    /// <summary>A label outside 0..K−1 stops the program naming the party and row, never the value.</summary>
    [Fact]
    public void ALabelThatIsNotAClassNamesPartyAndRow()
    {
        PartyRows[] parties = Parties(1);
        parties[1].Labels[3] = 7;
        using var mpc = new MpcEngine(3);
        var error = Assert.Throws<ArgumentException>(() => SecretProgram.Run(mpc, parties.Select(p => p.Rows).ToArray(), 5, i => parties[i], Softmax, new[] { 0 }));
        Assert.Contains("party-2", error.Message);
        Assert.DoesNotContain("7", error.Message);
    }

    private static PartyRows[] Parties(int seed, int rows = 135)
    {
        var blobs = Blobs.Create(rows: rows, features: 5, classes: 3, seed: seed);
        double[] x = blobs.Features.contiguous().data<double>().ToArray();
        long[] labels = blobs.OneHot.argmax(1).data<long>().ToArray();
        int[] cuts = { 0, rows * 8 / 27, rows * 2 / 3, rows };
        return Enumerable.Range(0, 3).Select(i => new PartyRows($"party-{i + 1}", x[(cuts[i] * 5)..(cuts[i + 1] * 5)],
            labels[cuts[i]..cuts[i + 1]].Select(l => (double)l).ToArray(), 5)).ToArray();
    }
}
