using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Storage;

namespace SecureCompute.Grains.Tests;

/// <summary>Cancelling a running session on the in-process cluster: who may, how fast everything stops, and what is left.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SessionCancelTests(ClusterFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>How soon after the cancel the client must hear of it and every party's worker must have stopped.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    private static int sessions;

    private static string NewSession(string name) => $"{name}-{Interlocked.Increment(ref sessions)}-{Guid.NewGuid():N}"[..30];

    /// <summary>
    /// A session of many epochs, cancelled after its first by an operator of one of its parties (not its starter): a
    /// client of another consortium member is refused first and the session goes on; then the starter's
    /// <see cref="SessionClient.RunAsync"/> fails within seconds naming who cancelled, every party's worker stops, and no
    /// party's party session grain nor the dealer keeps anything of the session in storage (they did before the cancel), nor
    /// hands out a result.
    /// </summary>
    [Fact]
    public async Task ACancelStopsEveryPartyPromptlyAndLeavesNoShareBehind()
    {
        var spec = new SessionSpec(NewSession("cancel"), ClusterFixture.Hospitals, "benign", Epochs: 40);
        ClientSigner starter = ClusterFixture.OperatorOf(spec);
        var firstEpoch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<SessionReport> run = SessionClient.RunAsync(fixture.Cluster.Grains, spec, p =>
        {
            if (p.EpochLoss.Length >= 1)
            {
                firstEpoch.TrySetResult();
            }
        }, client: starter);
        await firstEpoch.Task.WaitAsync(TimeSpan.FromSeconds(120));
        foreach (string party in spec.Parties)
        {
            Assert.True((await ReadAsync("party-session", fixture.Cluster.Grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of(spec.Session, party)))).RecordExists,
                $"party '{party}' stored nothing before the cancel: this test does not look where the grain stores");
        }
        Assert.True((await ReadAsync("dealer", fixture.Cluster.Grains.GetGrain<IDealerGrain>(spec.Session))).RecordExists);

        var coordinator = fixture.Cluster.Grains.GetGrain<ITrainingSessionGrain>(spec.Session);
        var outsider = ClientSigner.Declaring(new OperatorIdentity("clinic-1", "mallory"));
        var watching = new RecordingObserver();
        ISessionObserver reference = fixture.Cluster.Grains.CreateObjectReference<ISessionObserver>(watching);
        SessionProgress answered = await coordinator.SubscribeAsync(reference, outsider.For(ClientPurpose.Observe, spec.Session));
        Assert.Equal(SessionState.Training, answered.State);
        Assert.Empty(answered.EpochLoss);
        var refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => coordinator.CancelAsync(outsider.For(ClientPurpose.Cancel, spec.Session)));
        Assert.Contains("only by its starter or an operator of one of its parties", refused.Message);
        Assert.False(run.IsCompleted, "the session stopped after a refused cancel");

        var canceller = ClientSigner.Declaring(new OperatorIdentity("hospital-2", "carol"));
        var clock = Stopwatch.StartNew();
        await coordinator.CancelAsync(canceller.For(ClientPurpose.Cancel, spec.Session));
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => run.WaitAsync(Prompt));
        TimeSpan heard = clock.Elapsed;
        Assert.Equal("cancelled by hospital-2:carol.", error.Cause);

        string[] stopped = spec.Parties.Select(p => $"Party {p} stopped in session {spec.Session}:").ToArray();
        while (!stopped.All(line => fixture.Logs.Lines.Any(l => l.Contains(line, StringComparison.Ordinal))))
        {
            Assert.True(clock.Elapsed < Prompt, $"a party's worker still ran {Prompt.TotalSeconds:F0} s after the cancel");
            await Task.Delay(50);
        }
        TimeSpan allStopped = clock.Elapsed;

        // The outsider subscribed once and was pushed the end, filtered for it: no released loss.
        SessionProgress pushed = await watching.Failed.Task.WaitAsync(Prompt);
        Assert.Equal("cancelled by hospital-2:carol.", pushed.Error);
        Assert.All(watching.Received, p => Assert.Empty(p.EpochLoss));
        await coordinator.UnsubscribeAsync(reference);
        fixture.Cluster.Grains.DeleteObjectReference<ISessionObserver>(reference);

        foreach (string party in spec.Parties)
        {
            Assert.False((await ReadAsync("party-session", fixture.Cluster.Grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of(spec.Session, party)))).RecordExists,
                $"party '{party}' still stores the cancelled session's seeds or checkpoints");
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => fixture.Cluster.Grains.GetGrain<IPartyGrain>(party)
                .FetchResultAsync(spec.Session, starter.For(ClientPurpose.FetchResult, spec.Session)));
        }
        Assert.False((await ReadAsync("dealer", fixture.Cluster.Grains.GetGrain<IDealerGrain>(spec.Session))).RecordExists,
            "the dealer still stores the cancelled session's material seeds");
        SessionProgress after = await coordinator.GetProgressAsync(starter.For(ClientPurpose.Observe, spec.Session));
        Assert.Equal(SessionState.Failed, after.State);
        Assert.True(after.EpochLoss.Length < spec.Epochs);
        output.WriteLine($"after the cancel: the client heard {heard.TotalMilliseconds:F0} ms, every worker stopped {allStopped.TotalMilliseconds:F0} ms, after {after.EpochLoss.Length} epochs");
        Assert.True(heard < Prompt && allStopped < Prompt, $"client {heard.TotalMilliseconds:F0} ms, workers {allStopped.TotalMilliseconds:F0} ms");
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains("Refused a call to ISessionObserver", StringComparison.Ordinal));
    }

    /// <summary>Keeps what the coordinator pushes.</summary>
    private sealed class RecordingObserver : ISessionObserver
    {
        /// <summary>Every progress received.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<SessionProgress> Received { get; } = new();

        /// <summary>The first failed progress received.</summary>
        public TaskCompletionSource<SessionProgress> Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Progressed(SessionProgress progress)
        {
            Received.Enqueue(progress);
            if (progress.State == SessionState.Failed)
            {
                Failed.TrySetResult(progress);
            }
        }
    }

    /// <summary>What the cluster's default storage holds under <paramref name="stateName"/> for <paramref name="grain"/>.</summary>
    private async Task<GrainState<SealedState>> ReadAsync(string stateName, IAddressable grain)
    {
        IGrainStorage storage = fixture.Cluster.Hosts[0].Services.GetRequiredKeyedService<IGrainStorage>(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        var state = new GrainState<SealedState>();
        await storage.ReadStateAsync(stateName, grain.GetGrainId(), state);
        return state;
    }
}
