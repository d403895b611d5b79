using SecureCompute.Grains.Interfaces.Wire;

namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>
/// What one party hands a named recipient of a session's model: the model itself, if the recipient is an operator of
/// this party and this party received it; or this party's additive share of it, if the recipient is a client named in
/// the spec (it sums every party's share itself: no party, and not the coordinator, sees the model).
/// </summary>
/// <param name="Session">The session.</param>
/// <param name="Party">The party that answers.</param>
/// <param name="Weights">The model (feature weights then the bias), or null when this is a share.</param>
/// <param name="Share">This party's share of the weights (ring elements, <paramref name="FractionalBits"/>), or null.</param>
/// <param name="FractionalBits">The fixed-point format of <paramref name="Share"/>.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.SessionResult")]
public sealed record SessionResult(
    [property: Id(0)] string Session,
    [property: Id(1)] string Party,
    [property: Id(2)] double[]? Weights,
    [property: Id(3)] RingTensor? Share,
    [property: Id(4)] int FractionalBits)
{
    /// <summary>Describes the result without its values.</summary>
    public override string ToString() => $"SessionResult({Session}, {Party}, {(Weights is null ? "share" : "model")})";
}
