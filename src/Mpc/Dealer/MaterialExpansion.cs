using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Dealer;

/// <summary>Expands one component of material from a party's stream; dealer and party call the same function.</summary>
/// <remarks>
/// Piece number s for request R draws from labels L(s, R) = SHA-256(s, R)[0..8] with the low 4 bits cleared, onwards
/// (<see cref="Position"/>). So a piece is a function of (seed, s, R) alone: party n−1 may ask the dealer for its guess
/// of piece s + 1 before it knows R, and if the guess R' is wrong, the correction it got is for masks
/// L(s + 1, R') that no party ever uses — it learns nothing about the masks of the piece actually used. Distinct pieces
/// share a label with probability about N²/2^61 for N pieces in a session (~10^-8 for N = 10^5).
/// </remarks>
internal static class MaterialExpansion
{
    /// <summary>Draw labels reserved per piece of material (a piece draws at most one per component).</summary>
    public const ulong DrawsPerMaterial = 16;

    /// <summary>Seeks <paramref name="stream"/> to material <paramref name="sequence"/>'s first label.</summary>
    public static void Position(PrgStream stream, long sequence, MaterialRequest request)
    {
        if (request.Seeded.Length + request.Corrected.Length > (int)DrawsPerMaterial)
        {
            throw new ArgumentException($"{request.Kind} has more components than the {DrawsPerMaterial} draws reserved per piece.", nameof(request));
        }
        stream.Seek(Label(sequence, request));
    }

    /// <summary>L(s, R): the first draw label of piece <paramref name="sequence"/> for <paramref name="request"/>.</summary>
    internal static ulong Label(long sequence, MaterialRequest request)
    {
        var text = new System.Text.StringBuilder();
        text.Append(sequence).Append('|').Append((int)request.Kind).Append('|').AppendJoin(',', request.ShapeA)
            .Append('|').AppendJoin(',', request.ShapeB).Append('|').Append(request.Bits);
        byte[] hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString()));
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(hash) & ~(DrawsPerMaterial - 1);
    }

    /// <summary>The next draw for <paramref name="component"/>: uniform words, or uniform bits for a single-bit component.</summary>
    public static Tensor Draw(PrgStream stream, MaterialComponent component, Device device)
    {
        Tensor draw = stream.NextInt64(component.Shape, device);
        return component.Sharing == ComponentSharing.Bit ? draw.BitAndInPlace(1L) : draw;
    }
}
