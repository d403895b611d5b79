namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>Where a session is.</summary>
public enum SessionState
{
    /// <summary>Not started.</summary>
    None,

    /// <summary>Checking schemas, dealing seeds.</summary>
    Preparing,

    /// <summary>Rounds are running.</summary>
    Training,

    /// <summary>Finished; the report is available.</summary>
    Completed,

    /// <summary>Failed; the progress names the cause.</summary>
    Failed,
}
