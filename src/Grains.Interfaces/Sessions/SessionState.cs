namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>Where a session is.</summary>
public enum SessionState
{
    /// <summary>Not started.</summary>
    None,

    /// <summary>Every party's policy admits it; an operator of one or more parties must still approve it.</summary>
    AwaitingApproval,

    /// <summary>Checking schemas, dealing seeds.</summary>
    Preparing,

    /// <summary>Rounds are running.</summary>
    Training,

    /// <summary>Finished; the report is available.</summary>
    Completed,

    /// <summary>Failed; the progress names the cause.</summary>
    Failed,
}
