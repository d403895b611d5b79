using SecureCompute.Mpc.Sharing;

namespace SecureCompute.Mpc.Dealer;

/// <summary>A party's shares of a Beaver triple: uniform a, b and c = a ⊙ b (or a · b).</summary>
/// <param name="Request">What the triple is for.</param>
/// <param name="A">Share of the first mask.</param>
/// <param name="B">Share of the second mask.</param>
/// <param name="C">Share of the product of the masks.</param>
public sealed record BeaverTriple(MaterialRequest Request, ShareTensor A, ShareTensor B, ShareTensor C);

/// <summary>A party's shares of a square pair: uniform a and a ⊙ a.</summary>
/// <param name="A">Share of the mask.</param>
/// <param name="ASquared">Share of the mask squared.</param>
public sealed record SquarePair(ShareTensor A, ShareTensor ASquared);

/// <summary>A party's shares of truncation material (DESIGN §6): r, its top bit as 0/1, and (r mod 2^63) &gt;&gt; m.</summary>
/// <param name="Bits">The shift m.</param>
/// <param name="R">Share of the uniform mask r.</param>
/// <param name="Msb">Share of msb(r) as an arithmetic 0/1 value.</param>
/// <param name="ShiftedLow">Share of (r mod 2^63) &gt;&gt; m.</param>
public sealed record TruncationPair(int Bits, ShareTensor R, ShareTensor Msb, ShareTensor ShiftedLow);
