using SecureCompute.Grains.Training;
using SecureCompute.Mpc.Encoding;
using SecureCompute.Mpc.Engine;
using static TorchSharp.torch;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Tests;

/// <summary>
/// Everything the coordinator receives during a training session, recorded: none of it is a data value (raw or
/// standardised, as encoded). The share-level check is in Mpc.Tests (CoordinatorViewTests there).
/// </summary>
/// <remarks>
/// Masked messages are uniform 64-bit words, so the chance that one equals a given data value is ~2^-64 per pair; over
/// ~10^6 recorded words and ~10^5 data values an accidental match has probability ~10^-8. Zero is excluded (a label of
/// 0 encodes to 0, and a reveal's recipient sends zeros in its own slot).
/// </remarks>
public class CoordinatorViewTests
{
    [Fact]
    public void CoordinatorSeesNoDataValue()
    {
        var parties = RepositoryData.Load("breast-cancer", "benign");
        var spec = new TrainingSpec(SessionModel.Logistic, Epochs: 1, BatchSize: 64, LearningRate: 1.0, Seed: 3);
        using var mpc = new MpcEngine(parties.Count);
        var seen = new HashSet<long>();
        long messages = 0;
        mpc.Coordinator!.Received += (_, message) =>
        {
            messages++;
            foreach (var value in message.Values)
            {
                seen.UnionWith(value.contiguous().data<long>().ToArray());
            }
        };
        TrainingResult result = SecureTrainer.Train(mpc, parties, spec);

        FixedPointFormat format = mpc.Format;
        var data = new HashSet<long>();
        foreach (var party in parties)
        {
            data.UnionWith(format.Encode(tensor(party.Features)).data<long>().ToArray());
            data.UnionWith(format.Encode(tensor(result.Standardisation.Apply(party.Features))).data<long>().ToArray());
            data.UnionWith(format.Encode(tensor(party.Labels)).data<long>().ToArray());
        }
        data.Remove(0);
        Assert.True(messages >= result.Rounds * parties.Count, $"{messages} messages for {result.Rounds} rounds");
        Assert.True(seen.Count > 100_000, $"only {seen.Count} distinct words recorded");
        Assert.Empty(data.Intersect(seen));
    }

    /// <summary>
    /// A session whose model goes to hospital-1 (party 0) only: the coordinator receives no word of the model — neither
    /// its fixed-point encoding nor any party's share of it — while party 0 gets the model and the others get nothing.
    /// </summary>
    [Fact]
    public void CoordinatorSeesNoWeightWhenTheModelGoesToOneParty()
    {
        var parties = RepositoryData.Load("breast-cancer", "benign");
        var spec = new TrainingSpec(SessionModel.Logistic, Epochs: 1, BatchSize: 64, LearningRate: 1.0, Seed: 5, ModelRecipients: new[] { 0 });
        using var mpc = new MpcEngine(parties.Count);
        var seen = new HashSet<long>();
        mpc.Coordinator!.Received += (_, message) =>
        {
            foreach (var value in message.Values)
            {
                seen.UnionWith(value.contiguous().data<long>().ToArray());
            }
        };
        TrainingResult result = SecureTrainer.Train(mpc, parties, spec);
        var weights = new HashSet<long>(mpc.Format.Encode(tensor(result.Weights)).data<long>().ToArray());
        foreach (long[] share in result.WeightShares!)
        {
            weights.UnionWith(share);
        }
        weights.Remove(0);
        // Control: the reference words are the model's (the shares sum to its encoding), so the check below can fail.
        long[] summed = Enumerable.Range(0, result.Weights.Length).Select(i => unchecked(result.WeightShares!.Aggregate(0L, (sum, s) => sum + s[i]))).ToArray();
        Assert.Equal(mpc.Format.Encode(tensor(result.Weights)).data<long>().ToArray(), summed);
        Assert.True(weights.Count >= result.Weights.Length, $"only {weights.Count} weight words");
        Assert.Empty(weights.Intersect(seen));
    }
}
