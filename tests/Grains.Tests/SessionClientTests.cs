using System.Reflection;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Tests;

/// <summary>How the client follows a session through what its coordinator answers (a scripted coordinator, no cluster).</summary>
public sealed class SessionClientTests
{
    /// <summary>
    /// A coordinator that answers "None" after the start was activated afresh with no record (its silo was lost under
    /// memory storage): the client fails the session saying so instead of polling forever.
    /// </summary>
    [Fact]
    public async Task ACoordinatorThatForgotTheSessionFailsItWithTheReason()
    {
        var coordinator = new ScriptedCoordinator(new SessionProgress(SessionState.Training, 3, new[] { 0.5 }, 10, null, null),
            new SessionProgress(SessionState.None, 0, Array.Empty<double>(), 0, null, null));
        var error = await Assert.ThrowsAsync<SessionFailedException>(() =>
            SessionClient.RunAsync(Factory(coordinator), new SessionSpec("forgotten", new[] { "a", "b" }, "y")).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("holds no record of the session", error.Message);
    }

    /// <summary>
    /// Control: the same client returns the report when the coordinator completes — with no weights for a client that
    /// is no recipient (even were a coordinator to hold some, they are not passed on: the model comes only from the parties).
    /// </summary>
    [Fact]
    public async Task ACompletedSessionReturnsItsReport()
    {
        var report = new SessionReport(new[] { 1.0 }, new[] { 0.0 }, new[] { 1.0 }, new[] { "x" }, 1, 1, 1, 16, 0, 0.1, new[] { 0.5 });
        var coordinator = new ScriptedCoordinator(new SessionProgress(SessionState.Training, 1, Array.Empty<double>(), 0, null, null),
            new SessionProgress(SessionState.Completed, 1, new[] { 0.5 }, 1, null, report));
        SessionReport returned = await SessionClient.RunAsync(Factory(coordinator), new SessionSpec("done", new[] { "a", "b" }, "y")).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(report with { Weights = Array.Empty<double>() }, returned with { Weights = Array.Empty<double>() });
        Assert.Empty(returned.Weights);
    }

    /// <summary>
    /// A coordinator that answers "training" to every subscription but pushes the end: the client returns on the push,
    /// well before its next re-subscription, and releases its observer (unsubscribed, object reference deleted).
    /// </summary>
    [Fact]
    public async Task APushedEndReturnsAtOnceAndReleasesTheObserver()
    {
        var report = new SessionReport(new[] { 1.0 }, new[] { 0.0 }, new[] { 1.0 }, new[] { "x" }, 1, 1, 1, 16, 0, 0.1, new[] { 0.5 });
        var coordinator = new ScriptedCoordinator(new SessionProgress(SessionState.Training, 1, Array.Empty<double>(), 0, null, null));
        IGrainFactory factory = Factory(coordinator);
        var seen = new List<SessionState>();
        Task<SessionReport> run = SessionClient.RunAsync(factory, new SessionSpec("pushed", new[] { "a", "b" }, "y"), p => seen.Add(p.State));
        ISessionObserver observer = await coordinator.Subscribed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        observer.Progressed(new SessionProgress(SessionState.Completed, 1, new[] { 0.5 }, 1, null, report));
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(clock.Elapsed < SessionClient.ResubscribeInterval / 2, $"returned {clock.Elapsed.TotalMilliseconds:F0} ms after the push");
        Assert.Equal(new[] { SessionState.Training, SessionState.Completed }, seen);
        Assert.Equal(1, coordinator.Unsubscribed);
        Assert.Equal(1, ((FactoryProxy)(object)factory).Deleted);
    }

    /// <summary>
    /// Pushes that arrive out of order with the subscriptions' answers: an older progress after a newer one is not
    /// passed on (the callback sees released losses only grow within an attempt).
    /// </summary>
    [Fact]
    public async Task AnOlderProgressAfterANewerOneIsNotPassedOn()
    {
        var coordinator = new ScriptedCoordinator(new SessionProgress(SessionState.Training, 3, new[] { 0.5 }, 10, null, null));
        var losses = new List<int>();
        Task<SessionReport> run = SessionClient.RunAsync(Factory(coordinator), new SessionSpec("reordered", new[] { "a", "b" }, "y"), p => losses.Add(p.EpochLoss.Length));
        ISessionObserver observer = await coordinator.Subscribed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        observer.Progressed(new SessionProgress(SessionState.Training, 3, new[] { 0.5, 0.4 }, 20, null, null));
        observer.Progressed(new SessionProgress(SessionState.Training, 3, new[] { 0.5 }, 15, null, null));
        observer.Progressed(new SessionProgress(SessionState.Training, 3, Array.Empty<double>(), 30, null, null, Resumes: 1));
        observer.Progressed(new SessionProgress(SessionState.Failed, 3, Array.Empty<double>(), 30, "cancelled by a:op.", null, Resumes: 1));
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("cancelled by a:op.", error.Cause);
        Assert.Equal(new[] { 1, 2, 0, 0 }, losses);
    }

    /// <summary>A client that stops following (its token cancelled) releases its observer too.</summary>
    [Fact]
    public async Task StoppingToFollowReleasesTheObserver()
    {
        var coordinator = new ScriptedCoordinator(new SessionProgress(SessionState.Training, 1, Array.Empty<double>(), 0, null, null));
        IGrainFactory factory = Factory(coordinator);
        using var stop = new CancellationTokenSource();
        Task<SessionReport> run = SessionClient.RunAsync(factory, new SessionSpec("stopped", new[] { "a", "b" }, "y"), cancellationToken: stop.Token);
        await coordinator.Subscribed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, coordinator.Unsubscribed);
        Assert.Equal(1, ((FactoryProxy)(object)factory).Deleted);
    }

    private static IGrainFactory Factory(ITrainingSessionGrain coordinator)
    {
        IGrainFactory factory = DispatchProxy.Create<IGrainFactory, FactoryProxy>();
        ((FactoryProxy)(object)factory).Coordinator = coordinator;
        return factory;
    }

    /// <summary>An <see cref="IGrainFactory"/> whose only grain is the coordinator; an observer is its own reference.</summary>
    public class FactoryProxy : DispatchProxy
    {
        public ITrainingSessionGrain? Coordinator { get; set; }

        /// <summary>How many observer references were deleted.</summary>
        public int Deleted { get; private set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            switch (targetMethod?.Name)
            {
                case nameof(IGrainFactory.GetGrain) when targetMethod.ReturnType == typeof(ITrainingSessionGrain):
                    return Coordinator;
                case nameof(IGrainFactory.CreateObjectReference):
                    return args![0];
                case nameof(IGrainFactory.DeleteObjectReference):
                    Deleted++;
                    return null;
                default:
                    throw new NotSupportedException(targetMethod?.Name);
            }
        }
    }

    /// <summary>Answers each progress call or subscription with the next scripted progress (the last one from then on).</summary>
    private sealed class ScriptedCoordinator(params SessionProgress[] script) : ITrainingSessionGrain
    {
        private int next;

        /// <summary>The first observer subscribed.</summary>
        public TaskCompletionSource<ISessionObserver> Subscribed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>How many unsubscriptions came.</summary>
        public int Unsubscribed { get; private set; }

        public Task<SessionProgress> SubscribeAsync(ISessionObserver observer, Interfaces.Governance.ClientCredential credential)
        {
            SessionProgress now = script[Math.Min(next++, script.Length - 1)];
            Subscribed.TrySetResult(observer);
            return Task.FromResult(now);
        }

        public Task UnsubscribeAsync(ISessionObserver observer)
        {
            Unsubscribed++;
            return Task.CompletedTask;
        }

        public Task StartAsync(SessionSpec spec, Interfaces.Governance.ClientCredential starter) => Task.CompletedTask;

        public Task PartyDecidedAsync(string party, bool approved, string reason) => Task.CompletedTask;

        public Task CancelAsync(Interfaces.Governance.ClientCredential credential) => Task.CompletedTask;

        public Task<SessionProgress> GetProgressAsync(Interfaces.Governance.ClientCredential observer) => Task.FromResult(script[Math.Min(next++, script.Length - 1)]);

        public Task<OpenContribution> OpenAsync(int party, OpenContribution message) => throw new NotSupportedException();

        public Task EpochDoneAsync(int attempt, int epoch, double loss) => throw new NotSupportedException();

        public Task PartyFinishedAsync(int party, int attempt, SessionReport? report, long dealerBytes) => throw new NotSupportedException();

        public Task PartyFailedAsync(int party, int attempt, string error) => throw new NotSupportedException();

        public Task<string?> GetHostPartyAsync() => Task.FromResult<string?>("a");
    }
}
