using SecureCompute.Client.Train;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;

namespace SecureCompute.Client.Tests;

/// <summary>The spec file <c>train --spec</c> reads: recipients and features are carried into the session spec.</summary>
public sealed class SessionSpecFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-spec-").FullName;

    [Fact]
    public void RecipientsAndFeaturesAreLoaded()
    {
        string file = Write("""
            {
              // Only hospital-1 and one of hospital-2's operators receive the model.
              "parties": ["hospital-1", "hospital-2"],
              "label": "benign",
              "recipients": ["hospital-1", "hospital-2:alice"],
              "features": ["mean_radius", "mean_texture"],
            }
            """);
        SessionSpec spec = SessionSpecFile.Load(new FileInfo(file));
        Assert.Equal(new[] { "hospital-1", "hospital-2:alice" }, spec.Recipients);
        Assert.Equal(new[] { "mean_radius", "mean_texture" }, spec.Features);
        Assert.Empty(SessionSpecs.Validate(spec));
        Assert.Equal(new[] { 0 }, SessionRecipients.Parties(spec));
        Assert.Equal("hospital-2:alice", Assert.Single(SessionRecipients.Clients(spec)).ToString());
    }

    /// <summary>The privacy section: (ε, δ), mechanism and clip norm carried over; bounds by name put in the order of the spec's features.</summary>
    [Fact]
    public void PrivacySectionIsLoadedWithBoundsInFeatureOrder()
    {
        string file = Write("""
            {
              "parties": ["hospital-1", "hospital-2"],
              "label": "benign",
              "features": ["mean_texture", "mean_radius"],
              "privacy": { "epsilon": 2, "delta": 1e-6, "clipNorm": 0.5, "bounds": { "mean_radius": [0, 30], "mean_texture": [0, 40] } },
            }
            """);
        SessionSpec spec = SessionSpecFile.Load(new FileInfo(file));
        SessionPrivacy privacy = spec.Privacy!;
        Assert.Equal(2, privacy.Epsilon);
        Assert.Equal(1e-6, privacy.Delta);
        Assert.Equal(0.5, privacy.ClipNorm);
        Assert.Equal(PrivacyMechanism.DpSgd, privacy.Mechanism);
        Assert.Equal(new[] { 0.0, 0.0 }, privacy.LowerBounds);
        Assert.Equal(new[] { 40.0, 30.0 }, privacy.UpperBounds);
        Assert.Empty(SessionSpecs.Validate(spec));

        string output = Write("""
            {
              "parties": ["hospital-1", "hospital-2"], "label": "benign", "features": ["mean_radius"], "learningRate": 2,
              "privacy": { "epsilon": 1, "mechanism": "output", "regularisation": 0.08, "bounds": { "mean_radius": [0, 30] } },
            }
            """);
        SessionPrivacy perturbed = SessionSpecFile.Load(new FileInfo(output)).Privacy!;
        Assert.Equal(PrivacyMechanism.Output, perturbed.Mechanism);
        Assert.Equal(0.08, perturbed.Regularisation);
        Assert.Contains(SessionSpecs.Validate(spec with { Privacy = privacy with { Regularisation = 0.08 } }), p => p.Contains("belongs to output perturbation", StringComparison.Ordinal));

        // Private statistics: a share of ε, DP-SGD only, given with ε rather than σ; each party derives σ and σ_s alike.
        string statistics = Write("""
            {
              "parties": ["hospital-1", "hospital-2"], "label": "benign", "features": ["mean_radius"],
              "privacy": { "epsilon": 2, "statisticsShare": 0.3, "bounds": { "mean_radius": [0, 30] } },
            }
            """);
        SessionSpec withStatistics = SessionSpecFile.Load(new FileInfo(statistics));
        Assert.Equal(0.3, withStatistics.Privacy!.StatisticsShare);
        Assert.Empty(SessionSpecs.Validate(withStatistics));
        var program = SessionSpecs.ToProgram(withStatistics, 1);
        Assert.True(program.Privacy!.StatisticsNoiseMultiplier > 0);
        Assert.InRange(SessionSpecs.Guarantee(withStatistics, program)!.Epsilon, 1.98, 2);
        SessionPrivacy share = withStatistics.Privacy;
        Assert.Contains(SessionSpecs.Validate(withStatistics with { Privacy = share with { StatisticsShare = 1 } }), p => p.Contains("privacy.statisticsShare must be in (0, 1)", StringComparison.Ordinal));
        Assert.Contains(SessionSpecs.Validate(withStatistics with { Privacy = share with { NoiseMultiplier = 2 } }), p => p.Contains("give privacy.epsilon, not privacy.noiseMultiplier", StringComparison.Ordinal));
        Assert.Contains(SessionSpecs.Validate(withStatistics with { Privacy = share with { Mechanism = PrivacyMechanism.Output } }), p => p.Contains("belongs to DP-SGD", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "epsilon": 1, "bounds": { "mean_radius": [0, 30] } }""", "missing: mean_texture")]
    [InlineData("""{ "epsilon": 1, "bounds": { "mean_radius": [0, 30], "mean_texture": [0, 40], "x": [0, 1] } }""", "not a feature: x")]
    [InlineData("""{ "epsilon": 1, "bounds": { "mean_radius": [0], "mean_texture": [0, 40] } }""", "privacy.bounds.mean_radius must be [lower, upper]")]
    [InlineData("""{ "bounds": { } }""", "privacy.epsilon is required")]
    [InlineData("""{ "epsilon": 1, "mechanism": "laplace" }""", "privacy.mechanism must be dpsgd or output")]
    public void BadPrivacySectionsNameTheProblem(string section, string message)
    {
        string file = Write($$"""{ "parties": ["a", "b"], "label": "y", "features": ["mean_radius", "mean_texture"], "privacy": {{section}} }""");
        Assert.Contains(message, Assert.Throws<SpecFileException>(() => SessionSpecFile.Load(new FileInfo(file))).Message);
    }

    [Fact]
    public void AbsentRecipientsAndFeaturesMeanEveryPartyAndEveryAllowedColumn()
    {
        SessionSpec spec = SessionSpecFile.Load(new FileInfo(Write("""{ "parties": ["hospital-1", "hospital-2"], "label": "benign" }""")));
        Assert.Null(spec.Recipients);
        Assert.Null(spec.Features);
        Assert.Equal(new[] { "hospital-1", "hospital-2" }, SessionRecipients.Of(spec));
    }

    [Fact]
    public void ABadRecipientIsAProblemNamingIt()
    {
        SessionSpec spec = SessionSpecFile.Load(new FileInfo(Write("""{ "parties": ["hospital-1", "hospital-2"], "label": "benign", "recipients": ["not a:valid:id"] }""")));
        Assert.Contains(SessionSpecs.Validate(spec), p => p.Contains("'not a:valid:id'", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string json)
    {
        string file = Path.Combine(folder, $"spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        return file;
    }
}
