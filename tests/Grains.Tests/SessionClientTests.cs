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

    private static IGrainFactory Factory(ITrainingSessionGrain coordinator)
    {
        IGrainFactory factory = DispatchProxy.Create<IGrainFactory, FactoryProxy>();
        ((FactoryProxy)(object)factory).Coordinator = coordinator;
        return factory;
    }

    /// <summary>An <see cref="IGrainFactory"/> whose only grain is the coordinator.</summary>
    public class FactoryProxy : DispatchProxy
    {
        public ITrainingSessionGrain? Coordinator { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(IGrainFactory.GetGrain) && targetMethod.ReturnType == typeof(ITrainingSessionGrain)
                ? Coordinator
                : throw new NotSupportedException(targetMethod?.Name);
    }

    /// <summary>Answers each progress call with the next scripted progress (the last one from then on).</summary>
    private sealed class ScriptedCoordinator(params SessionProgress[] script) : ITrainingSessionGrain
    {
        private int next;

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
