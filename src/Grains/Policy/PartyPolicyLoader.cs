namespace SecureCompute.Grains.Policy;

/// <summary>
/// Reads a party's policy file (JSON; comments and trailing commas allowed, unknown properties an error; the format
/// is in docs/policy.md). Every problem is found before failing, so that an operator fixes a file in one pass.
/// </summary>
public static class PartyPolicyLoader
{
    /// <summary>The policy in <paramref name="path"/>, which must be <paramref name="expectedParty"/>'s.</summary>
    /// <exception cref="PolicyException">The file is missing, unreadable or invalid; the message lists every problem.</exception>
    public static PartyPolicy Load(string path, string expectedParty)
    {
        (PartyPolicy? policy, IReadOnlyList<string> problems) = Read(path, expectedParty);
        return policy ?? throw new PolicyException(path, problems);
    }

    /// <summary>Every problem with the policy file <paramref name="path"/> for <paramref name="expectedParty"/>; empty when it loads.</summary>
    public static IReadOnlyList<string> Problems(string path, string expectedParty) => Read(path, expectedParty).Problems;

    /// <summary>The policy in <paramref name="json"/>, read as the file named <paramref name="source"/>.</summary>
    /// <exception cref="PolicyException">The text is invalid; the message lists every problem.</exception>
    public static PartyPolicy Parse(string json, string source, string expectedParty)
    {
        (PartyPolicy? policy, IReadOnlyList<string> problems) = PartyPolicyReader.Read(json, source, expectedParty);
        return policy ?? throw new PolicyException(source, problems);
    }

    private static (PartyPolicy? Policy, IReadOnlyList<string> Problems) Read(string path, string expectedParty)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, [$"{path}: $: the policy file does not exist."]);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return (null, [$"{path}: $: the policy file cannot be read ({error.GetType().Name}: {error.Message})."]);
        }
        return PartyPolicyReader.Read(json, path, expectedParty);
    }
}
