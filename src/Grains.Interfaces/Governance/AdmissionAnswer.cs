namespace SecureCompute.Grains.Interfaces.Governance;

/// <summary>A party's answer to a session: admitted, refused (with the rules), or waiting for an operator's decision.</summary>
/// <param name="Verdict">The answer.</param>
/// <param name="Reasons">Refused: each rule and why, naming public spec items only — never a value.</param>
/// <param name="ApprovalTimeout">Pending: how long the party waits for its operator's decision.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.AdmissionAnswer")]
public sealed record AdmissionAnswer(
    [property: Id(0)] AdmissionVerdict Verdict,
    [property: Id(1)] string[] Reasons,
    [property: Id(2)] TimeSpan ApprovalTimeout = default)
{
    /// <summary>Admitted.</summary>
    public static AdmissionAnswer Admitted { get; } = new(AdmissionVerdict.Admitted, Array.Empty<string>());
}

/// <summary>What a party says to a session.</summary>
public enum AdmissionVerdict
{
    /// <summary>Every rule of the party's policy admits it.</summary>
    Admitted,

    /// <summary>A rule refuses it.</summary>
    Refused,

    /// <summary>The policy admits it, and an operator of the party must approve it.</summary>
    Pending,
}
