using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Programs;

namespace SecureCompute.Learning.Tests;

/// <summary>The plaintext program's accuracy after each epoch (the demo's accuracy chart).</summary>
public sealed class EpochAccuracyTests
{
    private static readonly ProgramSpec Softmax = new(new ModelSpec(ModelKind.Softmax, 5, 3, Array.Empty<int>()), Epochs: 3, BatchSize: 16, LearningRate: 0.5, Seed: 4);

    private static readonly ProgramSpec Mlp = Softmax with { Model = new ModelSpec(ModelKind.Mlp, 5, 3, new[] { 6 }), Epochs = 2 };

    public static TheoryData<string> Programs => new() { "softmax", "mlp" };

    /// <summary>
    /// Softmax and MLP, exact and approximate functions: one value per epoch in [0, 1], the last equal to the final
    /// evaluation's; asking for them changes no other figure, bit for bit; without asking, none.
    /// </summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void PerEpochAccuracyEndsAtTheFinalEvaluationAndChangesNothingElse(string name)
    {
        ProgramSpec spec = name == "mlp" ? Mlp : Softmax;
        PartyRows[] parties = Parties(Random.Shared.Next());
        foreach (FunctionMode functions in new[] { FunctionMode.Exact, FunctionMode.Approximate })
        {
            ProgramResult plain = PlaintextProgram.Run(parties, spec, functions);
            ProgramResult curve = PlaintextProgram.Run(parties, spec, functions, evaluateEveryEpoch: true);
            Assert.Empty(plain.EpochTrainAccuracy);
            Assert.Empty(plain.EpochHeldOutAccuracy);
            Assert.Equal(spec.Epochs, curve.EpochTrainAccuracy.Length);
            Assert.Equal(spec.Epochs, curve.EpochHeldOutAccuracy.Length);
            Assert.All(curve.EpochTrainAccuracy.Concat(curve.EpochHeldOutAccuracy), a => Assert.InRange(a, 0, 1));
            Assert.Equal(curve.Train.Accuracy, curve.EpochTrainAccuracy[^1]);
            Assert.Equal(curve.HeldOut!.Accuracy, curve.EpochHeldOutAccuracy[^1]);
            Assert.Equal(plain.Weights, curve.Weights);
            Assert.Equal(plain.EpochLoss, curve.EpochLoss);
            Assert.Equal(plain.Train, curve.Train);
            Assert.Equal(plain.HeldOut, curve.HeldOut);
        }
    }

    /// <summary>Three parties' rows of three Gaussian blobs (the program tests' shape).</summary>
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
