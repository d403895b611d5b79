using System.Globalization;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;

namespace SecureCompute.Grains.Tests;

/// <summary>A differentially private session across the parties' silos: what the coordinator sees, and refusals before any row is shared.</summary>
[Collection(ClusterCollection.Name)]
public class PrivateSessionTests(ClusterFixture fixture)
{
    private static int sessions;

    private static string NewSession(string name) => $"{name}-{Interlocked.Increment(ref sessions)}-{Guid.NewGuid():N}"[..30];

    /// <summary>The shipped public bounds of breast cancer, in the schema's order.</summary>
    private static (double[] Lower, double[] Upper) Bounds()
    {
        var bounds = RepositoryData.Bounds("breast-cancer");
        return (bounds.Select(b => b.Lower).ToArray(), bounds.Select(b => b.Upper).ToArray());
    }

    /// <summary>
    /// DP-SGD on three hospitals' silos (ε = 2, 3 full-batch epochs): the session completes; the coordinator is told
    /// each epoch is done but receives no loss (every epoch value it got is NaN), the report has no loss and its
    /// "statistics" are the bounds' midpoints and half-widths (public numbers); the model reaches the recipients.
    /// </summary>
    [Fact]
    public async Task ADpSessionReleasesNeitherLossNorStatistics()
    {
        var (lower, upper) = Bounds();
        var spec = new SessionSpec(NewSession("dp"), ClusterFixture.Hospitals, "benign", Epochs: 3, BatchSize: 512, LearningRate: 4,
            Privacy: new SessionPrivacy(2, 1e-5, LowerBounds: lower, UpperBounds: upper));
        SessionReport report = await SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: ClusterFixture.OperatorOf(spec));
        Assert.Empty(report.EpochLoss);
        Assert.Equal(lower.Zip(upper, (lo, hi) => (lo + hi) / 2), report.Means);
        Assert.Equal(lower.Zip(upper, (lo, hi) => (hi - lo) / 2), report.StandardDeviations);
        Assert.Null(report.TrainAccuracy);
        Assert.Null(report.HeldOutAccuracy);
        Assert.Equal(31, report.Weights.Length);
        var received = fixture.Tap.Releases[spec.Session].ToArray();
        double[] epochValues = received.OfType<double>().ToArray();
        Assert.Equal(3, epochValues.Length);
        Assert.All(epochValues, v => Assert.True(double.IsNaN(v), $"the coordinator received a loss {v} in a DP session"));
    }

    /// <summary>A σ given too small for the session's ε fails the session, naming the ε it would spend, before any row is shared.</summary>
    [Fact]
    public async Task ANoiseMultiplierTooSmallForTheBudgetIsRefused()
    {
        var (lower, upper) = Bounds();
        var spec = new SessionSpec(NewSession("dp-small"), ClusterFixture.Hospitals, "benign", Epochs: 3,
            Privacy: new SessionPrivacy(1, 1e-5, NoiseMultiplier: 0.5, LowerBounds: lower, UpperBounds: upper));
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: ClusterFixture.OperatorOf(spec)));
        Assert.Contains("more than the session's ε = 1", error.Message);
        Assert.False(fixture.Tap.Messages.ContainsKey(spec.Session), "no round may be opened before the refusal");
    }

    /// <summary>Bounds that do not cover every feature fail the session before any row is shared, and a spec without bounds is invalid.</summary>
    [Fact]
    public async Task BoundsMustCoverEveryFeature()
    {
        var spec = new SessionSpec(NewSession("dp-bounds"), ClusterFixture.Hospitals, "benign", Epochs: 1,
            Privacy: new SessionPrivacy(1, 1e-5, LowerBounds: new[] { 0.0 }, UpperBounds: new[] { 1.0 }));
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: ClusterFixture.OperatorOf(spec)));
        Assert.Contains("public bounds for each of the 30 features", error.Message);
        Assert.False(fixture.Tap.Messages.ContainsKey(spec.Session));

        var unbounded = spec with { Privacy = new SessionPrivacy(1, 1e-5) };
        Assert.Contains(SessionSpecs.Validate(unbounded), p => p.Contains("privacy.lowerBounds", StringComparison.Ordinal));
    }

    /// <summary>
    /// Output perturbation across the hospitals' silos (ε = 2, 3 full-batch epochs at the learning-rate cap): the
    /// session completes, the coordinator receives no loss, the report has no loss or evaluation, and the model
    /// reaches the recipients. A learning rate above the cap and a model other than logistic regression are refused
    /// by every party before any row is shared, naming the cap and the model.
    /// </summary>
    [Fact]
    public async Task AnOutputPerturbationSessionReleasesTheModelOnly()
    {
        var (lower, upper) = Bounds();
        var privacy = new SessionPrivacy(2, 1e-5, PrivacyMechanism.Output, LowerBounds: lower, UpperBounds: upper);
        double cap = SessionSpecs.OutputLearningRateCap(privacy, 15);
        var spec = new SessionSpec(NewSession("op"), ClusterFixture.Hospitals, "benign", Epochs: 3, BatchSize: 512, LearningRate: Math.Floor(cap * 1000) / 1000,
            Privacy: privacy);
        SessionReport report = await SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: ClusterFixture.OperatorOf(spec));
        Assert.Empty(report.EpochLoss);
        Assert.Null(report.HeldOutAccuracy);
        Assert.Equal(31, report.Weights.Length);
        Assert.All(fixture.Tap.Releases[spec.Session].OfType<double>(), v => Assert.True(double.IsNaN(v)));

        var fast = spec with { Session = NewSession("op-fast"), LearningRate = 4 };
        var error = await Assert.ThrowsAsync<SessionFailedException>(() => SessionClient.RunAsync(fixture.Cluster.Grains, fast, client: ClusterFixture.OperatorOf(fast)));
        Assert.Contains("needs a learning rate ≤ 2/(a + b)", error.Message);
        Assert.False(fixture.Tap.Messages.ContainsKey(fast.Session));
    }
}
