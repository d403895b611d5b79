using SecureCompute.Mpc.Sharing;

namespace SecureCompute.Mpc.Dealer;

/// <summary>A party's XOR shares of a boolean Beaver triple: uniform words a, b and c = a AND b.</summary>
/// <param name="A">Share of the first mask.</param>
/// <param name="B">Share of the second mask.</param>
/// <param name="C">Share of a AND b.</param>
public sealed record BooleanTriple(BitShareTensor A, BitShareTensor B, BitShareTensor C);

/// <summary>A party's shares of edaBits: uniform r, additively and (as a 64-bit word) by XOR.</summary>
/// <param name="Arithmetic">Additive share of r.</param>
/// <param name="Bits">XOR share of r's bits.</param>
public sealed record EdaBits(ShareTensor Arithmetic, BitShareTensor Bits);

/// <summary>A party's shares of daBits: a uniform bit d, by XOR (bit 0) and additively (as 0/1).</summary>
/// <param name="Bit">XOR share of d in bit 0.</param>
/// <param name="Arithmetic">Additive share of d.</param>
public sealed record DaBits(BitShareTensor Bit, ShareTensor Arithmetic);
