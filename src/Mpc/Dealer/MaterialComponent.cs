namespace SecureCompute.Mpc.Dealer;

/// <summary>How a component of dealer material is shared among the parties.</summary>
public enum ComponentSharing
{
    /// <summary>Additive shares mod 2^64.</summary>
    Arithmetic,

    /// <summary>XOR shares of 64-bit words.</summary>
    Boolean,

    /// <summary>XOR shares of a single bit (bit 0 of the word; the other bits are zero).</summary>
    Bit,
}

/// <summary>One tensor of a piece of material: its shape and how it is shared.</summary>
/// <param name="Shape">The tensor's shape.</param>
/// <param name="Sharing">Additive, boolean or single-bit XOR sharing.</param>
public sealed record MaterialComponent(long[] Shape, ComponentSharing Sharing);
