using SecureCompute.Grains.Training;
using SecureCompute.Mpc.Encoding;
using SecureCompute.Mpc.Simulation;
using static TorchSharp.torch;

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
        var spec = new TrainingSpec(ModelKind.Logistic, Epochs: 1, BatchSize: 64, LearningRate: 1.0, Seed: 3);
        using var mpc = new LocalMpc(parties.Count);
        var seen = new HashSet<long>();
        long messages = 0;
        mpc.CoordinatorReceived += (_, message) =>
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
}
