using System.Diagnostics;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Training;
using Xunit.Abstractions;

namespace SecureCompute.Silo.Tests;

/// <summary>
/// A party silo killed mid-training (SIGKILL) and restarted with the same settings: the session notices, waits for it,
/// resumes every party from the last common epoch checkpoint (sealed in Redis with each party's key), and finishes with
/// the model an uninterrupted run with the same seeds gives — bit for bit.
/// </summary>
public sealed class PartyResumeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ProcessClusterFixture cluster = ProcessClusterFixture.Persistent();

    public Task InitializeAsync() => cluster.InitializeAsync();

    public Task DisposeAsync() => cluster.DisposeAsync();

    /// <summary>The dealer's silo killed and restarted mid-training: party n−1 asks again; the model is the uninterrupted one.</summary>
    [Fact]
    public async Task KilledAndRestartedDealerGivesTheSameModel()
    {
        var spec = new SessionSpec($"dealer-{Guid.NewGuid():N}"[..20], ProcessClusterFixture.Hospitals, "benign", Epochs: 4, ReproducibleSeed: 78);
        var firstEpoch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<SessionReport> session = SessionClient.RunAsync(cluster.Grains, spec, client: cluster.Operator, progress: p =>
        {
            if (p.EpochLoss.Length >= 1)
            {
                firstEpoch.TrySetResult();
            }
        });
        await firstEpoch.Task.WaitAsync(TimeSpan.FromSeconds(120));
        int dealer = cluster.Silos.Count - 1;
        var clock = Stopwatch.StartNew();
        cluster.Silos[dealer].Kill();
        await cluster.RestartAsync(dealer);
        SessionReport report = await session.WaitAsync(TimeSpan.FromSeconds(240));
        output.WriteLine($"killed the dealer; session done {clock.Elapsed.TotalSeconds:F1} s after the kill");
        Assert.Equal(InProcessReference.Program(spec, 78).Weights, report.Weights);
    }

    [Fact]
    public async Task KilledAndRestartedPartyResumesToTheSameModel()
    {
        var spec = new SessionSpec($"resume-{Guid.NewGuid():N}"[..20], ProcessClusterFixture.Hospitals, "benign", Epochs: 6, ReproducibleSeed: 77);
        var watched = new WatchedSession(cluster.Grains, spec);
        await watched.SecondEpoch.Task.WaitAsync(TimeSpan.FromSeconds(120));
        string? host = await cluster.Grains.GetGrain<ITrainingSessionGrain>(spec.Session).GetHostPartyAsync();
        int victim = Array.FindIndex(ProcessClusterFixture.Hospitals, h => h != host);
        Stopwatch clock = watched.Clock;
        var (restarted, report) = await KillRestartAndFinishAsync(victim, watched);
        Assert.True(watched.ResumedAt is not null, "the session finished without resuming: the kill came too late to matter");
        output.WriteLine($"killed {ProcessClusterFixture.Hospitals[victim]}; restarted and ready after {restarted.TotalSeconds:F1} s; session done {clock.Elapsed.TotalSeconds:F1} s after the kill");

        var shares = new List<long[]>();
        Learning.Programs.ProgramResult uninterrupted = InProcessReference.Program(spec, 77, c => shares.AddRange(c.WeightShares));
        Assert.Equal(uninterrupted.Weights, report.Weights);
        Assert.Equal(uninterrupted.EpochLoss, report.EpochLoss);
        await RedisScan.AssertNoDataAndNoShareAsync(cluster.Redis.ConnectionString, ProcessClusterFixture.Hospitals, shares);
    }

    /// <summary>
    /// An MLP session (a learning-layer program: its checkpoint holds every layer's parameter shares) with a party's
    /// silo killed mid-training and restarted: it resumes to the uninterrupted run's parameters, losses and held-out
    /// accuracy, bit for bit.
    /// </summary>
    [Fact]
    public async Task KilledPartyResumesAnMlpSessionToTheSameModel()
    {
        var spec = new SessionSpec($"mlp-{Guid.NewGuid():N}"[..20], ProcessClusterFixture.Hospitals, "benign", Model: SessionModel.Mlp, Epochs: 8, LearningRate: 0.5,
            ReproducibleSeed: 81, Classes: 2, Hidden: new[] { 8 });
        var watched = new WatchedSession(cluster.Grains, spec);
        await watched.SecondEpoch.Task.WaitAsync(TimeSpan.FromSeconds(120));
        string? host = await cluster.Grains.GetGrain<ITrainingSessionGrain>(spec.Session).GetHostPartyAsync();
        int victim = Array.FindIndex(ProcessClusterFixture.Hospitals, h => h != host);
        var (_, report) = await KillRestartAndFinishAsync(victim, watched);
        Assert.True(watched.ResumedAt is not null, "the session finished without resuming: the kill came too late to matter");

        Learning.Programs.ProgramResult uninterrupted = InProcessReference.Program(spec, 81);
        Assert.Equal(uninterrupted.Weights, report.Weights);
        Assert.Equal(uninterrupted.EpochLoss, report.EpochLoss);
        Assert.Equal(uninterrupted.HeldOut!.Accuracy, report.HeldOutAccuracy);
        Assert.Equal(8, report.EpochLoss.Length);
    }

    /// <summary>
    /// The silo hosting the coordinator killed and restarted mid-training — the coordinator and that silo's party go
    /// together: the next call activates the coordinator on another party's silo, which reads back the session from
    /// Redis, waits for the lost party and resumes everyone; the model is the uninterrupted one, bit for bit.
    /// </summary>
    [Fact]
    public async Task KilledCoordinatorSiloResumesToTheSameModel()
    {
        var spec = new SessionSpec($"coord-{Guid.NewGuid():N}"[..20], ProcessClusterFixture.Hospitals, "benign", Epochs: 6, ReproducibleSeed: 79);
        var watched = new WatchedSession(cluster.Grains, spec);
        Stopwatch clock = watched.Clock;
        await watched.SecondEpoch.Task.WaitAsync(TimeSpan.FromSeconds(120));
        var coordinator = cluster.Grains.GetGrain<ITrainingSessionGrain>(spec.Session);
        string? host = await coordinator.GetHostPartyAsync();
        int victim = Array.IndexOf(ProcessClusterFixture.Hospitals, host);
        Assert.True(victim >= 0, $"the coordinator runs on '{host}', not on a hospital's silo");
        var (restarted, report) = await KillRestartAndFinishAsync(victim, watched);
        Assert.True(watched.ResumedAt is not null, "the session finished without resuming: the kill came too late to matter");
        string? newHost = await coordinator.GetHostPartyAsync();
        output.WriteLine($"killed {host} (the coordinator's silo); restarted after {restarted.TotalSeconds:F1} s; coordinator now on {newHost}; " +
                         $"client saw the resume {watched.ResumedAt!.Value.TotalSeconds:F1} s and the end {clock.Elapsed.TotalSeconds:F1} s after the kill");
        Learning.Programs.ProgramResult uninterrupted = InProcessReference.Program(spec, 79);
        Assert.Equal(uninterrupted.Weights, report.Weights);
        Assert.Equal(uninterrupted.EpochLoss, report.EpochLoss);
        SessionProgress after = await coordinator.GetProgressAsync(cluster.Operator.For(ClientPurpose.Observe, spec.Session));
        Assert.Equal(uninterrupted.EpochLoss, after.EpochLoss);
    }

    /// <summary>
    /// SIGKILLs silo <paramref name="victim"/>, restarts it with its settings, and waits for the session's report (printing
    /// the silos' session log lines either way); times on <see cref="WatchedSession.Clock"/>, started at the kill.
    /// </summary>
    private async Task<(TimeSpan Restarted, SessionReport Report)> KillRestartAndFinishAsync(int victim, WatchedSession watched)
    {
        watched.Clock.Start();
        cluster.Silos[victim].Kill();
        await cluster.RestartAsync(victim);
        TimeSpan restarted = watched.Clock.Elapsed;
        try
        {
            return (restarted, await watched.Session.WaitAsync(TimeSpan.FromSeconds(240)));
        }
        finally
        {
            foreach (ChildProcess silo in cluster.Silos)
            {
                output.WriteLine(string.Join('\n', silo.Output.Split('\n').Where(l => l.Contains("Session") || l.Contains("Party") || l.Contains("coordinator") || l.Contains("warn:") || l.Contains("fail:") || l.Contains("Exception"))));
            }
        }
    }

    /// <summary>A session run by the client, noting when its second epoch was released and when a resume was first seen (on <see cref="Clock"/>).</summary>
    private sealed class WatchedSession
    {
        public WatchedSession(IGrainFactory grains, SessionSpec spec) => Session = SessionClient.RunAsync(grains, spec, Observe, client: ClientSigner.Declaring(new OperatorIdentity("hospital-1", "tester")));

        public Task<SessionReport> Session { get; }

        public TaskCompletionSource SecondEpoch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Started by the test at the kill.</summary>
        public Stopwatch Clock { get; } = new();

        public TimeSpan? ResumedAt { get; private set; }

        private void Observe(SessionProgress progress)
        {
            if (progress.EpochLoss.Length >= 2)
            {
                SecondEpoch.TrySetResult();
            }
            if (progress.Resumes > 0 && ResumedAt is null)
            {
                ResumedAt = Clock.Elapsed;
            }
        }
    }
}
