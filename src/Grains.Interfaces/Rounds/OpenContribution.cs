using SecureCompute.Grains.Interfaces.Wire;

namespace SecureCompute.Grains.Interfaces.Rounds;

/// <summary>One party's masked message for one open, or the opened (combined) result sent back.</summary>
/// <param name="Round">The round's index in the session.</param>
/// <param name="Operation">The protocol operation's name — a label for traces, never used to dispatch.</param>
/// <param name="Xor">Whether the tensors are combined by XOR (boolean shares) rather than sum mod 2^64.</param>
/// <param name="Values">The masked tensors, in the protocol's order.</param>
/// <param name="Chunk">For an open too large for one message: this part's index (see <see cref="OpenChunking"/>).</param>
/// <param name="Chunks">How many parts the open was cut into (1 when it fits one message).</param>
/// <param name="Attempt">The session's attempt (0, then +1 per resume from a checkpoint); messages of a superseded attempt are refused.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.OpenContribution")]
public sealed record OpenContribution(
    [property: Id(0)] long Round,
    [property: Id(1)] string Operation,
    [property: Id(2)] bool Xor,
    [property: Id(3)] RingTensor[] Values,
    [property: Id(4)] int Chunk = 0,
    [property: Id(5)] int Chunks = 1,
    [property: Id(6)] int Attempt = 0)
{
    /// <summary>Ring elements in the message.</summary>
    public long ElementCount => Values.Sum(v => v.ElementCount);

    /// <summary>Describes the message without its elements.</summary>
    public override string ToString() => $"OpenContribution(round {Round}, {Operation}, {Values.Length} tensors, part {Chunk + 1}/{Chunks})";
}
