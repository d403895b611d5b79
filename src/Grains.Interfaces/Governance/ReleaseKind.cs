namespace SecureCompute.Grains.Interfaces.Governance;

/// <summary>What a release is: policy and audit tell a loss from the weights by it.</summary>
public enum ReleaseKind
{
    /// <summary>Aggregate statistics (e.g. the feature sums that standardise the data).</summary>
    Statistics,

    /// <summary>A per-epoch training loss.</summary>
    Loss,

    /// <summary>The final model's weights.</summary>
    Model,

    /// <summary>An evaluation's aggregate: a count correct or a summed squared error (train or held-out rows).</summary>
    Evaluation,

    /// <summary>A federated round's aggregate update (the row-weighted sum of the parties' weight deltas), to every party.</summary>
    Update,
}
