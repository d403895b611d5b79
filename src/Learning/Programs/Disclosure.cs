namespace SecureCompute.Learning.Programs;

/// <summary>What a program opened: each is a documented release.</summary>
public enum Disclosure
{
    /// <summary>Aggregate statistics (the feature sums that standardise the data).</summary>
    Statistics,

    /// <summary>A per-epoch training loss.</summary>
    Loss,

    /// <summary>An evaluation's aggregate: a count correct or a summed squared error.</summary>
    Evaluation,

    /// <summary>The final model's parameters.</summary>
    Model,

    /// <summary>A federated round's aggregate update: the row-weighted sum of the parties' weight deltas.</summary>
    Update,
}

/// <summary>One release: what, at which round, how many values, to which parties.</summary>
/// <param name="Kind">What was opened.</param>
/// <param name="Round">The engine's round count after it.</param>
/// <param name="Elements">Values opened.</param>
/// <param name="Recipients">Session party indices that received it.</param>
public sealed record ProgramRelease(Disclosure Kind, long Round, long Elements, IReadOnlyList<int> Recipients);
