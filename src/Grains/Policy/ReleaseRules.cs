using System.Collections.Immutable;
using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Policy;

/// <summary>Who may receive each kind of release of a session this party takes part in.</summary>
/// <param name="Statistics">Recipients allowed aggregate statistics (the standardisation sums).</param>
/// <param name="Loss">Recipients allowed the per-epoch training loss.</param>
/// <param name="Model">Recipients allowed the final model's weights.</param>
public sealed record ReleaseRules(ImmutableArray<PolicyPattern> Statistics, ImmutableArray<PolicyPattern> Loss, ImmutableArray<PolicyPattern> Model)
{
    /// <summary>The restrictive default: every kind to the session's parties only.</summary>
    public static ReleaseRules PartiesOnly { get; } = new([PolicyPattern.SessionParties], [PolicyPattern.SessionParties], [PolicyPattern.SessionParties]);

    /// <summary>Every kind to anyone.</summary>
    public static ReleaseRules Anyone { get; } = new([PolicyPattern.Anyone], [PolicyPattern.Anyone], [PolicyPattern.Anyone]);

    /// <summary>The kinds a policy names; an evaluation's aggregate follows the loss rule (both are training figures), a
    /// federated round's aggregate update the model rule (the updates sum to the model).</summary>
    public static IReadOnlyList<ReleaseKind> Governed { get; } = [ReleaseKind.Statistics, ReleaseKind.Loss, ReleaseKind.Model];

    /// <summary>The recipients allowed a release of <paramref name="kind"/>.</summary>
    public ImmutableArray<PolicyPattern> For(ReleaseKind kind) => kind switch
    {
        ReleaseKind.Statistics => Statistics,
        ReleaseKind.Loss or ReleaseKind.Evaluation => Loss,
        ReleaseKind.Model or ReleaseKind.Update => Model,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown release kind"),
    };

    /// <summary>These rules with the recipients of <paramref name="kind"/> replaced.</summary>
    public ReleaseRules With(ReleaseKind kind, ImmutableArray<PolicyPattern> recipients) => kind switch
    {
        ReleaseKind.Statistics => this with { Statistics = recipients },
        ReleaseKind.Loss => this with { Loss = recipients },
        ReleaseKind.Model => this with { Model = recipients },
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown release kind"),
    };

    /// <summary>Equal when every kind lists the same recipients in the same order.</summary>
    public bool Equals(ReleaseRules? other) =>
        other is not null && Statistics.SequenceEqual(other.Statistics) && Loss.SequenceEqual(other.Loss) && Model.SequenceEqual(other.Model);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Statistics.Length, Loss.Length, Model.Length);
}
