namespace SecureCompute.Grains.Authorization;

/// <summary>Who may call one grain method: the role in words (for refusals) and the check.</summary>
/// <param name="Needed">The role the protocol names, e.g. "the session's dealer".</param>
/// <param name="AdmitsAsync">Whether a call is admitted (facts about the caller and the target).</param>
/// <param name="Public">Whether the method is public session API (any caller; the method checks any credential itself).</param>
public sealed record CallRule(string Needed, Func<CallCheck, ValueTask<bool>> AdmitsAsync, bool Public = false)
{
    /// <summary>Public session API: anyone who can connect (the method checks credentials and policy itself).</summary>
    public static CallRule Open(string what) => new($"anyone ({what})", _ => ValueTask.FromResult(true), Public: true);

    /// <summary>A rule whose check needs no wait.</summary>
    public static CallRule When(string needed, Func<CallCheck, bool> admits) => new(needed, c => ValueTask.FromResult(admits(c)));
}
