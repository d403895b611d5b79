using System.Diagnostics;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Silo.Tests;

/// <summary>
/// A party silo killed mid-training (SIGKILL) that does not come back: the session fails, naming the party, within
/// the bound — Orleans declares the silo dead, then the coordinator waits the configured grace (5 s here). A cluster
/// of its own, since the test takes a silo away for good.
/// </summary>
public sealed class PartyLossTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ProcessClusterFixture cluster = new();

    /// <summary>The bound checked: Orleans' failure detection (probes every few seconds, votes) plus the grace.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => cluster.InitializeAsync();

    public Task DisposeAsync() => cluster.DisposeAsync();

    [Fact]
    public async Task KilledPartyFailsTheSessionNamingItWithinTheBound()
    {
        var spec = new SessionSpec($"killed-{Guid.NewGuid():N}"[..20], ProcessClusterFixture.Hospitals, "benign", Epochs: 200);
        var firstEpoch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<SessionReport> session = SessionClient.RunAsync(cluster.Grains, spec, client: cluster.Operator, progress: p =>
        {
            if (p.EpochLoss.Length > 0)
            {
                firstEpoch.TrySetResult();
            }
        });
        await firstEpoch.Task.WaitAsync(TimeSpan.FromSeconds(90));
        // The victim: a party whose silo does not also host the coordinator (losing that silo loses the session's
        // coordinator: a different failure, reported as such).
        string? host = await cluster.Grains.GetGrain<Grains.Interfaces.ITrainingSessionGrain>(spec.Session).GetHostPartyAsync();
        Assert.Contains(host, ProcessClusterFixture.Hospitals);
        int victim = Array.FindIndex(ProcessClusterFixture.Hospitals, h => h != host);
        string victimId = ProcessClusterFixture.Hospitals[victim];
        var clock = Stopwatch.StartNew();
        cluster.Silos[victim].Kill();
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => session.WaitAsync(Bound + TimeSpan.FromSeconds(30)));
        TimeSpan failedAfter = clock.Elapsed;
        output.WriteLine($"killed {victimId}; the session failed {failedAfter.TotalSeconds:F1} s later: {error.Message}");
        Assert.True(error.Message.Contains($"the silo of party '{victimId}' left the cluster") && error.Message.Contains($"no silo of party '{victimId}' was back"), error.Message);
        Assert.True(failedAfter < Bound, $"the session failed {failedAfter.TotalSeconds:F1} s after the kill");
    }
}
