namespace SecureCompute.Client.Tests;

/// <summary><c>sessions cancel</c>'s argument handling as a user meets it, before any connection to a cluster.</summary>
public sealed class SessionsCommandTests
{
    /// <summary>A Redis address nothing listens on: every case here fails before connecting.</summary>
    private const string Unused = "127.0.0.1:1";

    [Fact]
    public void CancelIsListedWithTheOtherSessionCommands()
    {
        (int exit, string output, _) = CliRun.Run("sessions", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("cancel", output);
        Assert.Contains("approve", output);
    }

    [Fact]
    public void CancelWithoutASessionIsAParseError()
    {
        (int exit, _, string error) = CliRun.Run("sessions", "cancel", "--redis", Unused);
        Assert.NotEqual(0, exit);
        Assert.Contains("Required argument missing", error);
    }

    /// <summary>Without TLS and without <c>--as</c> the client is anonymous, and only an operator may cancel: exit 2, saying so.</summary>
    [Fact]
    public void CancelWithoutAnOperatorExitsTwoNamingWhatIsNeeded()
    {
        (int exit, _, string error) = CliRun.Run("sessions", "cancel", "s-1", "--redis", Unused);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: an operator's identity is needed", error);
    }

    [Fact]
    public void CancelWithAMalformedOperatorExitsTwo()
    {
        (int exit, _, string error) = CliRun.Run("sessions", "cancel", "s-1", "--redis", Unused, "--as", "no-colon");
        Assert.Equal(2, exit);
        Assert.StartsWith("error: --as must be party:name", error);
    }
}
