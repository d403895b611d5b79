using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;

namespace SecureCompute.Grains.Tests.Sessions;

/// <summary>The coordinator's states and their transitions: checked start, first failure wins, attempts, releases, completion.</summary>
public sealed class SessionLifecycleTests
{
    private const string Session = "lifecycle-1";

    private static SessionSpec Spec(string session = Session) => new(session, new[] { "hospital-1", "hospital-2", "hospital-3" }, "benign", Epochs: 3);

    private static SessionReport Report() => new(new[] { 0.5 }, new[] { 1.0 }, new[] { 2.0 }, new[] { "x" }, 10, 40, 4, 320, 0, 1.5, new[] { 0.7 });

    private static SessionLifecycle Training()
    {
        var lifecycle = new SessionLifecycle(Session);
        lifecycle.Start(Spec());
        Assert.True(lifecycle.Train());
        return lifecycle;
    }

    [Fact]
    public void AStartIsCheckedThenPreparesOnce()
    {
        var lifecycle = new SessionLifecycle(Session);
        ArgumentException other = Assert.Throws<ArgumentException>(() => lifecycle.Start(Spec("another")));
        Assert.Contains("'another'", other.Message);
        Assert.Equal(SessionState.None, lifecycle.State);
        Assert.Null(lifecycle.Spec);

        lifecycle.Start(Spec());
        Assert.Equal(SessionState.Preparing, lifecycle.State);
        Assert.Equal(3, lifecycle.Spec!.Parties.Length);
        InvalidOperationException again = Assert.Throws<InvalidOperationException>(() => lifecycle.Start(Spec()));
        Assert.Equal($"Session '{Session}' was already started.", again.Message);
    }

    [Fact]
    public void ApprovalReturnsToPreparingAndOnlyAPreparingSessionTrains()
    {
        var lifecycle = new SessionLifecycle(Session);
        lifecycle.Start(Spec());
        Assert.False(lifecycle.Prepare());   // already preparing: nothing to publish
        lifecycle.AwaitApproval();
        Assert.Equal(SessionState.AwaitingApproval, lifecycle.State);
        Assert.False(lifecycle.Train());
        Assert.True(lifecycle.Prepare());
        Assert.True(lifecycle.Train());
        Assert.Equal(SessionState.Training, lifecycle.State);
        Assert.False(lifecycle.Train());
    }

    /// <summary>A session cancelled while its admission was awaited stays ended: it is never prepared, so never trains.</summary>
    [Fact]
    public void ASessionCancelledWhileAwaitingApprovalIsNotPreparedAgain()
    {
        var lifecycle = new SessionLifecycle(Session);
        lifecycle.Start(Spec());
        lifecycle.AwaitApproval();
        Assert.True(lifecycle.Fail("cancelled by hospital-1:alice."));
        Assert.Throws<InvalidOperationException>(() => lifecycle.Prepare());
        Assert.False(lifecycle.Train());
        Assert.Equal(SessionState.Failed, lifecycle.State);
        Assert.Equal("cancelled by hospital-1:alice.", lifecycle.Error);
    }

    [Fact]
    public void TheFirstFailureWinsAndACompletedSessionStaysCompleted()
    {
        SessionLifecycle failed = Training();
        Assert.True(failed.Fail("party 'hospital-2' failed."));
        Assert.False(failed.Fail("cancelled by someone."));
        Assert.Equal(SessionState.Failed, failed.State);
        Assert.Equal("party 'hospital-2' failed.", failed.Error);
        InvalidOperationException open = Assert.Throws<InvalidOperationException>(() => failed.RequireTraining(0));
        Assert.Equal($"Session '{Session}' has failed: party 'hospital-2' failed.", open.Message);

        SessionLifecycle completed = Training();
        Assert.False(completed.PartyFinished(1, null, 0));
        Assert.False(completed.PartyFinished(0, Report(), 0));
        Assert.True(completed.PartyFinished(2, null, 1234));
        Assert.False(completed.Fail("too late."));
        Assert.Equal(SessionState.Completed, completed.State);
        Assert.Null(completed.Error);
        Assert.Equal(1234, completed.Report!.DealerBytes);
    }

    [Fact]
    public void ASessionWhoseLastPartyFinishedWithoutAReportFails()
    {
        SessionLifecycle lifecycle = Training();
        Assert.False(lifecycle.PartyFinished(0, null, 0));
        Assert.False(lifecycle.PartyFinished(1, null, 0));
        Assert.True(lifecycle.PartyFinished(2, null, 7));
        Assert.Equal(SessionState.Failed, lifecycle.State);
        Assert.Equal("party 0 finished without a report.", lifecycle.Error);
        Assert.Null(lifecycle.Report);
    }

    [Fact]
    public void LossesAreReleasedInOrderForTheCurrentAttemptAndRewoundOnResume()
    {
        SessionLifecycle lifecycle = Training();
        Assert.True(lifecycle.AddEpochLoss(0, 1, 0.69));
        Assert.False(lifecycle.AddEpochLoss(0, 1, 0.5));    // a repeat
        Assert.False(lifecycle.AddEpochLoss(0, 3, 0.4));    // not the next one
        Assert.True(lifecycle.AddEpochLoss(0, 2, 0.45));
        Assert.Throws<ArgumentOutOfRangeException>(() => lifecycle.AddEpochLoss(0, 4, 0.3));
        Assert.Throws<ArgumentOutOfRangeException>(() => lifecycle.AddEpochLoss(0, 3, double.NaN));

        lifecycle.NewAttempt();
        Assert.Equal(1, lifecycle.Attempt);
        Assert.False(lifecycle.AddEpochLoss(0, 3, 0.3));    // the superseded attempt's
        lifecycle.RewindTo(1);
        Assert.Equal(new[] { 0.69 }, lifecycle.EpochLoss);
        Assert.True(lifecycle.AddEpochLoss(1, 2, 0.44));
        Assert.Equal(new[] { 0.69, 0.44 }, lifecycle.EpochLoss);
    }

    [Fact]
    public void ARestartForgetsTheOldAttemptsFinishesAndReport()
    {
        SessionLifecycle lifecycle = Training();
        lifecycle.PartyFinished(0, Report(), 0);
        lifecycle.PartyFinished(1, null, 5);
        lifecycle.NewAttempt();
        lifecycle.Restart();
        lifecycle.Resumed();
        Assert.Null(lifecycle.Report);
        Assert.Equal(1, lifecycle.Resumes);
        Assert.False(lifecycle.PartyFinished(2, null, 9));   // parties 0 and 1 must finish the new attempt too
        Assert.False(lifecycle.PartyFinished(0, Report(), 0));
        Assert.True(lifecycle.PartyFinished(1, null, 0));
        Assert.Equal(9, lifecycle.Report!.DealerBytes);   // the old attempt's 5 bytes no longer count
    }

    [Fact]
    public void ASnapshotRestoresWhereTheSessionStood()
    {
        SessionLifecycle lifecycle = Training();
        lifecycle.AddEpochLoss(0, 1, 0.6);
        lifecycle.NewAttempt();
        lifecycle.Resumed();
        byte[] stored = lifecycle.Snapshot(41, "hospital-3").ToBytes();

        var restored = new SessionLifecycle(Session);
        CoordinatorSnapshot snapshot = CoordinatorSnapshot.FromBytes(stored);
        restored.Restore(snapshot);
        Assert.Equal(41, snapshot.Rounds);
        Assert.Equal("hospital-3", snapshot.HostParty);
        Assert.Equal(SessionState.Training, restored.State);
        Assert.Equal(1, restored.Attempt);
        Assert.Equal(1, restored.Resumes);
        Assert.Equal(new[] { 0.6 }, restored.EpochLoss);
        Assert.Equal(Spec().Parties, restored.Spec!.Parties);
        SessionProgress progress = restored.Progress(41);
        Assert.Equal((SessionState.Training, 3, 41L, 1), (progress.State, progress.Epochs, progress.Rounds, progress.Resumes));
        Assert.Throws<ArgumentOutOfRangeException>(() => restored.RequireParty(3));
    }

    /// <summary>A DP session releases no loss: an epoch is counted when its value is NaN, and a finite loss is refused.</summary>
    [Fact]
    public void ADpSessionCountsEpochsWithoutLosses()
    {
        var lifecycle = new SessionLifecycle(Session);
        lifecycle.Start(Spec() with { Privacy = new SessionPrivacy(1, 1e-5, LowerBounds: new[] { 0.0 }, UpperBounds: new[] { 1.0 }) });
        Assert.True(lifecycle.Train());
        Assert.Contains("no loss", Assert.Throws<ArgumentOutOfRangeException>(() => lifecycle.AddEpochLoss(lifecycle.Attempt, 1, 0.25)).Message);
        Assert.True(lifecycle.AddEpochLoss(lifecycle.Attempt, 1, double.NaN));
        Assert.False(lifecycle.AddEpochLoss(lifecycle.Attempt, 1, double.NaN)); // a repeat
        Assert.True(lifecycle.AddEpochLoss(lifecycle.Attempt, 2, double.NaN));
        Assert.Equal(2, lifecycle.EpochsDone);
        Assert.Empty(lifecycle.EpochLoss);
        SessionProgress progress = lifecycle.Progress(0);
        Assert.Equal(2, progress.EpochsDone);
        Assert.Empty(progress.EpochLoss);
        lifecycle.RewindTo(1);
        Assert.Equal(1, lifecycle.EpochsDone);

        // The stored snapshot keeps the count (JSON: no NaN is ever written).
        var restored = new SessionLifecycle(Session);
        restored.Restore(CoordinatorSnapshot.FromBytes(lifecycle.Snapshot(0, "hospital-1").ToBytes()));
        Assert.Equal(1, restored.EpochsDone);

        // A non-private session still refuses a loss that is not finite.
        var plain = Training();
        Assert.Throws<ArgumentOutOfRangeException>(() => plain.AddEpochLoss(plain.Attempt, 1, double.NaN));
    }
}
