namespace SecureCompute.Grains.Authorization;

/// <summary>What a grain tells the call filter about its session, so that a rule can name the party it expects.</summary>
public interface ISessionMembership
{
    /// <summary>The session's parties in session order, or null before the grain knows its session.</summary>
    IReadOnlyList<string>? SessionParties { get; }
}

/// <summary>A party session grain's facts for the "once" rules: which seeds it already holds.</summary>
public interface ISeedHolder : ISessionMembership
{
    /// <summary>Whether the dealer's material seed has arrived.</summary>
    bool HasMaterialSeed { get; }

    /// <summary>Whether the pairwise seed shared with party <paramref name="party"/> has arrived.</summary>
    bool HasPairwiseSeed(int party);
}
