using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace SecureCompute.Grains.Tests.Sessions;

/// <summary>The coordinator's storage chain: one write after another, each with the state of its own moment, a failed one not blocking the next.</summary>
public sealed class SessionPersistenceTests
{
    /// <summary>A storage record whose writes complete when the test says so.</summary>
    private sealed class HeldStorage : IPersistentState<CoordinatorState>
    {
        public List<TaskCompletionSource> Writes { get; } = new();

        public List<byte[]?> Written { get; } = new();

        public CoordinatorState State { get; set; } = new();

        public string? Etag => null;

        public bool RecordExists => State.Snapshot is not null;

        public Task ClearStateAsync() => Task.CompletedTask;

        public Task ReadStateAsync() => Task.CompletedTask;

        public Task WriteStateAsync()
        {
            Written.Add(State.Snapshot);
            var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Writes.Add(write);
            return write.Task;
        }
    }

    private static SessionSpec Spec() => new("persist-1", new[] { "hospital-1", "hospital-2" }, "benign");

    [Fact]
    public async Task AWriteWaitsForThePreviousAndCarriesTheStateOfItsOwnMoment()
    {
        var storage = new HeldStorage();
        long rounds = 1;
        var persistence = new SessionPersistence(storage, () => new CoordinatorSnapshot(Spec(), SessionState.Training, 0, 0, Array.Empty<double>(), rounds, "hospital-1", null, null),
            NullLogger.Instance, "persist-1");
        Assert.Null(persistence.Stored);

        Task first = persistence.PersistAsync();
        rounds = 2;
        Task second = persistence.PersistAsync();
        rounds = 3;
        Assert.Single(storage.Writes);   // the second write waits for the first

        storage.Writes[0].SetException(new IOException("storage unavailable"));
        await Assert.ThrowsAsync<IOException>(() => first);
        await WaitUntilAsync(() => storage.Writes.Count == 2);
        storage.Writes[1].SetResult();
        await second;   // the failed write before it does not fail it

        Assert.Equal(new long[] { 1, 3 }, storage.Written.Select(b => CoordinatorSnapshot.FromBytes(b!).Rounds));
        Assert.Equal(3, persistence.Stored!.Rounds);
    }

    [Fact]
    public async Task ABackgroundWriteIsChainedLikeAnyOther()
    {
        var storage = new HeldStorage();
        SessionState state = SessionState.Training;
        var persistence = new SessionPersistence(storage, () => new CoordinatorSnapshot(Spec(), state, 0, 0, Array.Empty<double>(), 0, null, null, null),
            NullLogger.Instance, "persist-1");
        Task training = persistence.PersistAsync();
        state = SessionState.Completed;
        persistence.PersistInBackground();
        storage.Writes[0].SetResult();
        await training;
        await WaitUntilAsync(() => storage.Writes.Count == 2);
        storage.Writes[1].SetResult();
        Assert.Equal(SessionState.Completed, persistence.Stored!.State);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }
}
