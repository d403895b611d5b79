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
