namespace SecureCompute.Grains.Policy;

/// <summary>The rule of a party's policy that refused a session; named in messages as the policy file's field.</summary>
public enum PolicyRule
{
    /// <summary>The client that started the session is not among the party's starters.</summary>
    Starter,

    /// <summary>Another party of the session is not among the party's peers (or the party is not in the session).</summary>
    Peers,

    /// <summary>The session's model is not among the party's models.</summary>
    Model,

    /// <summary>The session's mode (MPC or federated) is not among the party's modes.</summary>
    Mode,

    /// <summary>The session's label column is not among the party's labels.</summary>
    Label,

    /// <summary>A feature column the session names is not among the party's features.</summary>
    Features,

    /// <summary>The session's batch size is below the party's minimum.</summary>
    MinBatchSize,

    /// <summary>The session's epochs exceed the party's maximum.</summary>
    MaxEpochs,

    /// <summary>The session's total rows are below the party's minimum behind an aggregate.</summary>
    MinRowsPerAggregate,

    /// <summary>The session would release a value to a recipient the party does not allow.</summary>
    Release,

    /// <summary>The session breaks the party's privacy rules: not DP where DP is required, or more ε than one session may spend.</summary>
    Privacy,
}
