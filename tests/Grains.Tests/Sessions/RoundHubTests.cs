using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Interfaces.Wire;
using SecureCompute.Grains.Sessions;

namespace SecureCompute.Grains.Tests.Sessions;

/// <summary>The coordinator's hub of opens: a round opens with its last party's message, parts count as one round, a failure reaches every waiting party.</summary>
public sealed class RoundHubTests
{
    private const int Parties = 3;

    private static long[] RandomWords(int count) =>
        Enumerable.Range(0, count).Select(_ => BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)))).ToArray();

    private static OpenContribution Message(long round, long[] words, int chunk = 0, int chunks = 1) =>
        new(round, "mul", false, new[] { new RingTensor(new long[] { words.Length }, words.SelectMany(BitConverter.GetBytes).ToArray()) }, chunk, chunks);

    private static long[] Words(OpenContribution opened) =>
        Enumerable.Range(0, opened.Values[0].Data.Length / sizeof(long)).Select(i => BitConverter.ToInt64(opened.Values[0].Data, i * sizeof(long))).ToArray();

    /// <summary>The sum mod 2^64, through <see cref="BigInteger"/>: independent of the ring code.</summary>
    private static long[] ReferenceSum(long[][] shares) =>
        Enumerable.Range(0, shares[0].Length)
            .Select(i => (long)(ulong)(shares.Aggregate(BigInteger.Zero, (sum, s) => sum + s[i]) & ulong.MaxValue))
            .ToArray();

    private static RoundHub Hub(List<string> causes) => new("hub-test", cause =>
    {
        causes.Add(cause);
        return $"failed: {cause}";
    });

    [Fact]
    public async Task TheLastPartysMessageOpensTheRoundForEveryParty()
    {
        var causes = new List<string>();
        RoundHub hub = Hub(causes);
        long[][] shares = Enumerable.Range(0, Parties).Select(_ => RandomWords(37)).ToArray();

        PendingRound first = hub.Join(0, Message(5, shares[0]), Parties, default);
        Assert.Same(first, hub.Join(0, Message(5, RandomWords(37)), Parties, default));   // a resend counts once
        Assert.Same(first, hub.Join(2, Message(5, shares[2]), Parties, default));
        Assert.False(first.Opened.IsCompleted);
        Assert.Null(hub.Answered(5, 0));
        Assert.Equal(0, hub.Rounds);

        Assert.Same(first, hub.Join(1, Message(5, shares[1]), Parties, default));
        OpenContribution opened = await first.Opened.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ReferenceSum(shares), Words(opened));
        Assert.Same(opened, hub.Answered(5, 0));   // a late copy gets the same answer
        Assert.Equal(1, hub.Rounds);
        Assert.Empty(causes);
    }

    [Fact]
    public async Task APartedRoundCountsOnceAllItsPartsOpened()
    {
        RoundHub hub = Hub(new List<string>());
        hub.Restore(10);
        var opened = new List<PendingRound>();
        for (int chunk = 0; chunk < 2; chunk++)
        {
            PendingRound round = null!;
            for (int p = 0; p < Parties; p++)
            {
                round = hub.Join(p, Message(3, RandomWords(4), chunk, 2), Parties, default);
            }
            await round.Opened.WaitAsync(TimeSpan.FromSeconds(5));
            opened.Add(round);
            Assert.Equal(chunk == 0 ? 10 : 11, hub.Rounds);
        }
        Assert.NotSame(opened[0], opened[1]);
        Assert.NotNull(hub.Answered(3, 0));
        Assert.NotNull(hub.Answered(3, 1));
    }

    [Fact]
    public async Task DivergedMessagesFailTheSessionAndTheRoundWithItsError()
    {
        var causes = new List<string>();
        RoundHub hub = Hub(causes);
        hub.Join(0, Message(8, RandomWords(2)), 2, default);
        PendingRound round = hub.Join(1, Message(8, RandomWords(3)) with { Values = new RingTensor[2] }, 2, default);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => round.Opened.WaitAsync(TimeSpan.FromSeconds(5)));
        string cause = Assert.Single(causes);
        Assert.Contains("party 1", cause);
        Assert.Equal($"failed: {cause}", error.Message);   // the session's error, as the first cause made it
        Assert.Null(hub.Answered(8, 0));
        Assert.Equal(0, hub.Rounds);
    }

    [Fact]
    public async Task FailingAllFailsEveryWaitingRoundEndsItsSpanAndForgetsTheOpenedValues()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SecureCompute.Mpc.Diagnostics.MpcDiagnostics.ActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        RoundHub hub = Hub(new List<string>());
        hub.Join(0, Message(1, RandomWords(1)), 2, default);
        PendingRound done = hub.Join(1, Message(1, RandomWords(1)), 2, default);
        await done.Opened.WaitAsync(TimeSpan.FromSeconds(5));
        PendingRound waiting = hub.Join(0, Message(2, RandomWords(1)), 2, default);
        int stoppedBefore = spans.Count(s => s.OperationName == SecureCompute.Mpc.Diagnostics.MpcDiagnostics.RoundSpan);

        hub.FailAll("Session 'hub-test' is resuming: a silo left.");
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => waiting.Opened.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("Session 'hub-test' is resuming: a silo left.", error.Message);
        Assert.Null(hub.Answered(1, 0));   // a new attempt numbers its rounds afresh
        Assert.Equal(stoppedBefore + 1, spans.Count(s => s.OperationName == SecureCompute.Mpc.Diagnostics.MpcDiagnostics.RoundSpan));

        PendingRound fresh = hub.Join(0, Message(2, RandomWords(1)), 2, default);
        Assert.NotSame(waiting, fresh);
        Assert.Equal(new[] { 1 }, fresh.Missing);
    }
}
