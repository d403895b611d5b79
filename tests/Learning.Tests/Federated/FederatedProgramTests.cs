using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Federated;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Programs;
using SecureCompute.Mpc.Encoding;
using SecureCompute.Mpc.Engine;
using Xunit.Abstractions;

namespace SecureCompute.Learning.Tests.Federated;

/// <summary>
/// Federated averaging on the share engine's secure sum, against an independent reference: the sum in the clear (ring
/// and reals), the same program with the plain sum (the twin), and the pooled plaintext training of MPC mode.
/// </summary>
public sealed class FederatedProgramTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 1000)]
    [InlineData(5, 4097)]
    public void The_secure_sum_is_the_plain_sum_exactly_in_the_ring_and_to_the_encoding_in_the_reals(int parties, int length)
    {
        var random = new Random(parties * 31 + length);
        double[][] vectors = Enumerable.Range(0, parties).Select(_ => Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.5) * 2e4).ToArray()).ToArray();
        using var mpc = new MpcEngine(parties);
        using var secure = new EngineUpdateSum(mpc);
        long[] ring = secure.Sum(vectors, length, "vector");
        long[] plain = new PlainUpdateSum(parties, mpc.Format).Sum(vectors, length, "vector");
        Assert.Equal(plain, ring);
        // Each encoding rounds to the nearest 2^-f, so the decoded sum is within n·2^-(f+1) of the real sum.
        double bound = parties * mpc.Format.Resolution / 2;
        for (int j = 0; j < length; j++)
        {
            double exact = vectors.Sum(v => v[j]);
            Assert.True(Math.Abs(ring[j] / (double)mpc.Format.Scale - exact) <= bound, $"element {j}");
        }
        // One round for the mask seed's reveal, one for the sum; a second sum costs one more.
        Assert.Equal(2, mpc.Rounds);
        secure.Sum(vectors, length, "vector");
        Assert.Equal(3, mpc.Rounds);
    }

    [Fact]
    public void A_value_outside_the_fixed_point_range_is_an_error_naming_the_party_not_the_value()
    {
        using var mpc = new MpcEngine(3);
        using var secure = new EngineUpdateSum(mpc);
        double[][] vectors = [[1.0], [1e300], [2.0]];
        var error = Assert.Throws<FixedPointRangeException>(() => secure.Sum(vectors, 1, "update"));
        Assert.Contains("party 1's update", error.Message);
        Assert.DoesNotContain("1E+300", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Federated_logistic_regression_on_shares_is_its_plain_twin_bit_for_bit_and_near_pooled_training()
    {
        PartyRows[] parties = RepositoryRows.Load("breast-cancer");
        ProgramSpec spec = Spec(parties, rounds: 10, localEpochs: 2);
        using var mpc = new MpcEngine(parties.Length);
        using var secureSum = new EngineUpdateSum(mpc);
        var releases = new List<ProgramRelease>();
        ProgramResult secure = Run(secureSum, parties, spec, released: releases.Add);
        ProgramResult twin = Run(new PlainUpdateSum(parties.Length, FixedPointFormat.Default), parties, spec);
        ProgramResult pooled = PlaintextProgram.Run(parties, spec with { Federated = null, Epochs = 20 }, FunctionMode.Exact);
        output.WriteLine($"federated held out {secure.HeldOut!.Accuracy:P2} (twin {twin.HeldOut!.Accuracy:P2}), pooled {pooled.HeldOut!.Accuracy:P2}; rounds {secure.Rounds}, bytes {secure.BytesOpened}");
        Assert.Equal(twin.Weights, secure.Weights);
        Assert.Equal(twin.EpochLoss, secure.EpochLoss);
        Assert.Equal(twin.HeldOut, secure.HeldOut);
        Assert.Equal(twin.Train, secure.Train);
        // 114 held-out rows: within 3 rows of pooled training on equal epochs (IID splits).
        Assert.True(Math.Abs(secure.HeldOut.Accuracy!.Value - pooled.HeldOut!.Accuracy!.Value) <= 3.0 / 114 + 1e-9,
            $"federated {secure.HeldOut.Accuracy:P2} vs pooled {pooled.HeldOut.Accuracy:P2}");
        Assert.True(secure.EpochLoss[^1] < secure.EpochLoss[0]);
        // Statistics, mask seed, 10 rounds, evaluation.
        Assert.Equal(1 + 1 + 10 + 1, secure.Rounds);
        Assert.Equal(10, releases.Count(r => r.Kind == Disclosure.Update));
        Assert.All(releases.Where(r => r.Kind == Disclosure.Update), r => Assert.Equal(31, r.Elements));
        // Every party's weight delta goes through one sharing of the sum: per party, 8 bytes per value per open.
        long perRound = 8L * (31 + 1);
        Assert.True(secure.BytesOpened >= parties.Length * 10 * perRound, $"{secure.BytesOpened} bytes");
    }

    [Fact]
    public void A_resumed_run_is_the_uninterrupted_run()
    {
        PartyRows[] parties = RepositoryRows.Load("breast-cancer");
        ProgramSpec spec = Spec(parties, rounds: 6, localEpochs: 1) with { Federated = new FederatedSpec(1, ClipNorm: 0.5, Proximal: 0.1) };
        var checkpoints = new List<ProgramCheckpoint>();
        using var mpc = new MpcEngine(parties.Length);
        using (var sum = new EngineUpdateSum(mpc))
        {
            Run(sum, parties, spec, checkpoint: checkpoints.Add);
        }
        using var again = new MpcEngine(parties.Length);
        using var first = new EngineUpdateSum(again);
        ProgramResult uninterrupted = Run(first, parties, spec);
        using var later = new MpcEngine(parties.Length);
        using var resumedSum = new EngineUpdateSum(later);
        ProgramResult resumed = Run(resumedSum, parties, spec, resume: checkpoints[2]);
        Assert.Equal(6, checkpoints.Count);
        Assert.Equal(uninterrupted.Weights, resumed.Weights);
        Assert.Equal(uninterrupted.EpochLoss, resumed.EpochLoss);
        Assert.Equal(uninterrupted.HeldOut, resumed.HeldOut);
    }

    [Fact]
    public void Each_party_delta_is_clipped_to_the_norm()
    {
        PartyRows[] parties = RepositoryRows.Load("breast-cancer");
        ProgramSpec spec = Spec(parties, rounds: 1, localEpochs: 3);
        var standardiser = Standardiser.FromSums(parties[0].Rows, Standardiser.Sums(parties[0])[..parties[0].Columns], Standardiser.Sums(parties[0])[parties[0].Columns..]);
        double[] zero = new double[31];
        (double[] free, _) = FederatedProgram.Local(spec, spec.Federated!, parties[0], standardiser, zero, round: 0, party: 0);
        double freeNorm = Math.Sqrt(free.Sum(v => v * v));
        double clip = freeNorm / 4;
        (double[] clipped, _) = FederatedProgram.Local(spec, spec.Federated! with { ClipNorm = clip }, parties[0], standardiser, zero, round: 0, party: 0);
        double clippedNorm = Math.Sqrt(clipped.Sum(v => v * v));
        Assert.True(freeNorm > 0.1, $"{freeNorm}");
        Assert.Equal(clip, clippedNorm, 9);
        // The same direction, scaled.
        for (int j = 0; j < free.Length; j++)
        {
            Assert.Equal(free[j] / 4, clipped[j], 9);
        }
    }

    /// <summary>
    /// Everything the coordinator receives in a federated run (simulator): no party's update as encoded, and no party's
    /// share of the sum, appears among its words — each message is a share plus a mask the coordinator cannot expand.
    /// </summary>
    /// <remarks>Masked words are uniform 64-bit values: an accidental match among ~10^3 words and ~10^3 references has
    /// probability ~10^-13. Zero is excluded (a zero delta encodes to 0).</remarks>
    [Fact]
    public void The_coordinator_sees_no_party_update_and_no_share_of_the_sum()
    {
        PartyRows[] parties = RepositoryRows.Load("breast-cancer");
        ProgramSpec spec = Spec(parties, rounds: 4, localEpochs: 1);
        using var mpc = new MpcEngine(parties.Length);
        var seen = new HashSet<long>();
        mpc.Coordinator!.Received += (_, message) =>
        {
            foreach (var value in message.Values)
            {
                seen.UnionWith(value.contiguous().data<long>().ToArray());
            }
        };
        using var engineSum = new EngineUpdateSum(mpc);
        var secret = new HashSet<long>();
        var shares = new List<(int Party, long[] Share)>();
        engineSum.Shared += (party, share) => shares.Add((party, share));
        var recording = new RecordingSum(engineSum, encoded => secret.UnionWith(encoded));
        Run(recording, parties, spec);
        foreach ((_, long[] share) in shares)
        {
            secret.UnionWith(share);
        }
        // Control: the recorded shares are the sum's (they add up to what was opened), so the check below can fail.
        Assert.Equal(recording.Opened.Count * parties.Length, shares.Count);
        for (int sum = 0; sum < recording.Opened.Count; sum++)
        {
            long[][] parts = shares.Skip(sum * parties.Length).Take(parties.Length).Select(s => s.Share).ToArray();
            long[] total = Enumerable.Range(0, parts[0].Length).Select(j => unchecked(parts.Aggregate(0L, (a, s) => a + s[j]))).ToArray();
            Assert.Equal(recording.Opened[sum], total);
        }
        secret.Remove(0);
        Assert.True(secret.Count > 300, $"only {secret.Count} reference words");
        Assert.True(seen.Count > 300, $"only {seen.Count} words recorded");
        Assert.Empty(secret.Intersect(seen));
    }

    private sealed class RecordingSum(EngineUpdateSum inner, Action<long[]> encoded) : IUpdateSum
    {
        public List<long[]> Opened { get; } = new();

        public FixedPointFormat Format => inner.Format;

        public int Parties => inner.Parties;

        public long Rounds => inner.Rounds;

        public long BytesSent => inner.BytesSent;

        public bool Hosts(int party) => inner.Hosts(party);

        public long[] Sum(IReadOnlyList<double[]?> own, int length, string what)
        {
            foreach (double[]? vector in own)
            {
                encoded(vector!.Select(Format.Encode).ToArray());
            }
            long[] result = inner.Sum(own, length, what);
            Opened.Add(result);
            return result;
        }
    }

    private static ProgramSpec Spec(PartyRows[] parties, int rounds, int localEpochs) =>
        new(new ModelSpec(ModelKind.Logistic, parties[0].Columns, 1, Array.Empty<int>()), Epochs: rounds, BatchSize: 32, LearningRate: 0.5, Seed: 5,
            Federated: new FederatedSpec(localEpochs));

    private static ProgramResult Run(IUpdateSum sum, PartyRows[] parties, ProgramSpec spec, Action<ProgramCheckpoint>? checkpoint = null,
        ProgramCheckpoint? resume = null, Action<ProgramRelease>? released = null) =>
        FederatedProgram.Run(sum, parties.Select(p => p.Rows).ToArray(), parties[0].Columns, i => parties[i], spec,
            Enumerable.Range(0, parties.Length).ToArray(), checkpoint: checkpoint, resume: resume, released: released);
}
