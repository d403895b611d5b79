namespace SecureCompute.Grains.Interfaces;

/// <summary>The key of a party's party session grain: <c>{session}/{party}</c>.</summary>
public static class PartySessionKey
{
    /// <summary>The key for <paramref name="party"/>'s shares in <paramref name="session"/>.</summary>
    public static string Of(string session, string party) => $"{session}/{party}";

    /// <summary>The party id in a party session grain key (the part after the last '/'), or the whole key for a party grain.</summary>
    public static string PartyOf(string key) => key[(key.LastIndexOf('/') + 1)..];

    /// <summary>The session id in a party session grain key.</summary>
    public static string SessionOf(string key) =>
        key.LastIndexOf('/') is var slash and > 0 ? key[..slash] : throw new ArgumentException($"'{key}' is not a party session grain key.", nameof(key));
}
