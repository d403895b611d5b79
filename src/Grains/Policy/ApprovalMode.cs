namespace SecureCompute.Grains.Policy;

/// <summary>How a party decides on a session its policy admits.</summary>
public enum ApprovalMode
{
    /// <summary>An admitted session runs without an operator's decision.</summary>
    Automatic,

    /// <summary>An admitted session waits for one of the party's approvers to approve or reject it.</summary>
    Manual,
}
