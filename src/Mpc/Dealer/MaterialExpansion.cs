using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Dealer;

/// <summary>Expands one component of material from a party's stream; dealer and party call the same function.</summary>
internal static class MaterialExpansion
{
    /// <summary>The next draw for <paramref name="component"/>: uniform words, or uniform bits for a single-bit component.</summary>
    public static Tensor Draw(PrgStream stream, MaterialComponent component, Device device)
    {
        Tensor draw = stream.NextInt64(component.Shape, device);
        return component.Sharing == ComponentSharing.Bit ? draw.BitAndInPlace(1L) : draw;
    }
}
