using SecureCompute.Grains.Interfaces.Wire;

namespace SecureCompute.Grains.Interfaces.Dealing;

/// <summary>Party n−1's request for the dealer's correction of one piece of material: public metadata.</summary>
/// <param name="Sequence">The material's position in the session's stream.</param>
/// <param name="Kind">The material kind (the engine's <c>MaterialKind</c> as a number).</param>
/// <param name="ShapeA">First operand shape.</param>
/// <param name="ShapeB">Second operand shape (empty if none).</param>
/// <param name="Bits">Truncation bits (0 if none).</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.MaterialOrder")]
public sealed record MaterialOrder(
    [property: Id(0)] long Sequence,
    [property: Id(1)] int Kind,
    [property: Id(2)] long[] ShapeA,
    [property: Id(3)] long[] ShapeB,
    [property: Id(4)] int Bits);

/// <summary>The dealer's correction tensors for party n−1 (secret: its shares of the derived components).</summary>
/// <param name="Sequence">The material's position in the session's stream.</param>
/// <param name="Tensors">The corrections, in the request's order.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.MaterialCorrection")]
public sealed record MaterialCorrection([property: Id(0)] long Sequence, [property: Id(1)] RingTensor[] Tensors)
{
    /// <summary>Describes the correction without its elements.</summary>
    public override string ToString() => $"MaterialCorrection({Sequence}, {Tensors.Length} tensors)";
}
