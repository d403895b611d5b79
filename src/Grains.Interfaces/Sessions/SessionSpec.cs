namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>What a client asks the coordinator to train: every field is public metadata shared with all parties.</summary>
/// <param name="Session">The session id (letters, digits, '-', '_'; it keys the session's grains).</param>
/// <param name="Parties">The parties' ids, in session order (party index = position).</param>
/// <param name="Label">The label column every party's file must have.</param>
/// <param name="Model">The program every party runs (<see cref="SessionModel"/>).</param>
/// <param name="Epochs">Passes over the pooled rows.</param>
/// <param name="BatchSize">Rows per SGD step.</param>
/// <param name="LearningRate">SGD step size.</param>
/// <param name="Seed">Seeds the public batch order.</param>
/// <param name="SigmoidDegree">Degree of the clipped Chebyshev sigmoid.</param>
/// <param name="FractionalBits">Fixed-point fractional bits.</param>
/// <param name="ReproducibleSeed">When set, every secret seed is derived from it so that the run repeats bit for bit —
/// demos and tests only, and refused by every silo not started with <c>--allow-reproducible-seeds</c>; null draws fresh
/// seeds from each party's and the dealer's CSPRNG.</param>
/// <param name="Recipients">Who receives the final model: party ids (<c>hospital-1</c>) and/or client identities
/// (<c>hospital-1:alice</c>); null: every session party.</param>
/// <param name="Features">The feature columns to use; null: every column (but the label) that every party's policy allows.</param>
/// <param name="Classes">Classes K of a softmax or MLP model (labels 0..K−1; each party checks its own); 0 otherwise.</param>
/// <param name="Hidden">An MLP's hidden layer widths; null: 128, 128.</param>
/// <param name="HeldOutFraction">Fraction of each party's rows held out for evaluation by the public rule (every model).</param>
/// <param name="Privacy">The session's differential privacy (ε, δ, mechanism); null for a non-private session.</param>
/// <param name="Mode">MPC training (the default) or federated averaging (<see cref="SessionMode"/>).</param>
/// <param name="Federated">A federated session's parameters; null: the defaults (1 local epoch, no clip, FedAvg).
/// Only with <see cref="SessionMode.Federated"/>.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.SessionSpec")]
public sealed record SessionSpec(
    [property: Id(0)] string Session,
    [property: Id(1)] string[] Parties,
    [property: Id(2)] string Label,
    [property: Id(3)] SessionModel Model = SessionModel.Logistic,
    [property: Id(4)] int Epochs = 10,
    [property: Id(5)] int BatchSize = 64,
    [property: Id(6)] double LearningRate = 1.0,
    [property: Id(7)] int Seed = 1,
    [property: Id(8)] int SigmoidDegree = 15,
    [property: Id(9)] int FractionalBits = 16,
    [property: Id(10)] long? ReproducibleSeed = null,
    [property: Id(11)] string[]? Recipients = null,
    [property: Id(12)] string[]? Features = null,
    [property: Id(13)] int Classes = 0,
    [property: Id(14)] int[]? Hidden = null,
    [property: Id(15)] double HeldOutFraction = 0.2,
    [property: Id(16)] SessionPrivacy? Privacy = null,
    [property: Id(17)] SessionMode Mode = SessionMode.Mpc,
    [property: Id(18)] SessionFederated? Federated = null)
{
    /// <summary>The longest session id accepted.</summary>
    public const int MaxSessionLength = 64;

    /// <summary>Problems with the session id and parties (the hyper-parameters are checked by the training program).</summary>
    public IReadOnlyList<string> ValidateIdentity()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(Session) || Session.Length > MaxSessionLength || !Session.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            problems.Add($"session id must be 1..{MaxSessionLength} letters, digits, '-' or '_'.");
        }
        if (Parties.Length < 2)
        {
            problems.Add($"joint training needs at least 2 parties, not {Parties.Length}.");
        }
        if (Parties.Any(p => string.IsNullOrEmpty(p) || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            problems.Add("party ids must be non-empty letters, digits, '-' or '_'.");
        }
        if (Parties.Distinct().Count() != Parties.Length)
        {
            problems.Add("party ids must be distinct.");
        }
        return problems;
    }
}
