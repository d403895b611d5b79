using SecureCompute.Learning.Models;
using SecureCompute.Learning.Programs;
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
        var spec = Logistic(parties, seed: 3);
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
        ProgramResult result = Run(mpc, parties, spec, new[] { 0, 1, 2 });
        var standardiser = new Standardiser(result.Means, result.StandardDeviations);

        FixedPointFormat format = mpc.Format;
        var data = new HashSet<long>();
        foreach (var party in parties)
        {
            data.UnionWith(format.Encode(tensor(party.Features)).data<long>().ToArray());
            data.UnionWith(format.Encode(tensor(standardiser.Apply(new PartyRows("party", party.Features, party.Labels, party.Columns)))).data<long>().ToArray());
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
        var spec = Logistic(parties, seed: 5);
        using var mpc = new MpcEngine(parties.Count);
        var seen = new HashSet<long>();
        mpc.Coordinator!.Received += (_, message) =>
        {
            foreach (var value in message.Values)
            {
                seen.UnionWith(value.contiguous().data<long>().ToArray());
            }
        };
        ProgramResult result = Run(mpc, parties, spec, new[] { 0 });
        var weights = new HashSet<long>(mpc.Format.Encode(tensor(result.Weights)).data<long>().ToArray());
        foreach (long[] share in result.WeightShares)
        {
            weights.UnionWith(share);
        }
        weights.Remove(0);
        // Control: the reference words are the model's (the shares sum to its encoding), so the check below can fail.
        long[] summed = Enumerable.Range(0, result.Weights.Length).Select(i => unchecked(result.WeightShares.Aggregate(0L, (sum, s) => sum + s[i]))).ToArray();
        Assert.Equal(mpc.Format.Encode(tensor(result.Weights)).data<long>().ToArray(), summed);
        Assert.True(weights.Count >= result.Weights.Length, $"only {weights.Count} weight words");
        Assert.Empty(weights.Intersect(seen));
    }

    private static ProgramSpec Logistic(IReadOnlyList<Data.PartyDataset> parties, int seed) =>
        new(new ModelSpec(ModelKind.Logistic, parties[0].Columns, 1, Array.Empty<int>()), Epochs: 1, BatchSize: 64, LearningRate: 1.0, Seed: seed);

    private static ProgramResult Run(MpcEngine mpc, IReadOnlyList<Data.PartyDataset> parties, ProgramSpec spec, int[] recipients) =>
        SecretProgram.Run(mpc, parties.Select(p => p.Rows).ToArray(), parties[0].Columns,
            i => new PartyRows($"party-{i}", parties[i].Features, parties[i].Labels, parties[i].Columns), spec, recipients);
}
