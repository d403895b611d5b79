using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Randomness;

/// <summary>
/// Deterministic expansion of a <see cref="Seed"/> into uniform int64 tensors: AES-128 in counter mode.
/// </summary>
/// <remarks>
/// Two holders of the same seed draw identical tensors as long as they draw the same shapes in the same order —
/// that is how the dealer and a party agree on a triple without sending it. Draw number d uses counter blocks
/// (d, 0), (d, 1), … so draws never overlap. AES-NI makes this several GB/s per core.
/// </remarks>
public sealed class PrgStream : IDisposable
{
    private const int BlockBytes = 16;
    private const int ChunkBlocks = 8192;
    private readonly Aes aes;
    private ulong draw;

    /// <summary>Creates a stream keyed by <paramref name="seed"/>.</summary>
    public PrgStream(Seed seed)
    {
        aes = Aes.Create();
        aes.Key = seed.Bytes.ToArray();
    }

    /// <summary>How many tensors have been drawn (the next draw's label).</summary>
    public ulong Draws => draw;

    /// <summary>
    /// Moves to draw label <paramref name="label"/>: the next draw uses counter blocks (label, 0), (label, 1), …. Lets a
    /// holder derive material number s from labels reserved for s alone, in any order (the dealer computing ahead).
    /// </summary>
    public void Seek(ulong label) => draw = label;

    /// <summary>Draws a tensor of uniform ring elements.</summary>
    public Tensor NextInt64(ReadOnlySpan<long> shape, Device? device = null)
    {
        Tensor result = empty(shape, ScalarType.Int64);
        Fill(result.bytes);
        return device is null || device.type == DeviceType.CPU ? result : result.to(device);
    }

    /// <summary>Fills <paramref name="destination"/> with the next draw's keystream.</summary>
    public void Fill(Span<byte> destination)
    {
        ulong label = draw++;
        // Only as many counter blocks as this draw needs, from the shared pool: a fresh 128 KiB buffer per draw was a
        // large-object allocation, and at hundreds of draws per training step those forced a full collection each.
        int chunk = Math.Min(ChunkBlocks, (destination.Length + BlockBytes - 1) / BlockBytes);
        byte[] counters = ArrayPool<byte>.Shared.Rent(chunk * BlockBytes);
        try
        {
            FillWith(counters, label, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(counters);
        }
    }

    private void FillWith(byte[] counters, ulong label, Span<byte> destination)
    {
        ulong block = 0;
        int offset = 0;
        while (offset < destination.Length)
        {
            int remaining = destination.Length - offset;
            int blocks = Math.Min(Math.Min(ChunkBlocks, counters.Length / BlockBytes), (remaining + BlockBytes - 1) / BlockBytes);
            for (int i = 0; i < blocks; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(counters.AsSpan(i * BlockBytes), label);
                BinaryPrimitives.WriteUInt64LittleEndian(counters.AsSpan(i * BlockBytes + 8), block + (ulong)i);
            }
            block += (ulong)blocks;
            int bytes = blocks * BlockBytes;
            if (bytes <= remaining)
            {
                aes.EncryptEcb(counters.AsSpan(0, bytes), destination.Slice(offset, bytes), PaddingMode.None);
            }
            else
            {
                byte[] tail = aes.EncryptEcb(counters.AsSpan(0, bytes), PaddingMode.None);
                tail.AsSpan(0, remaining).CopyTo(destination.Slice(offset));
            }
            offset += Math.Min(bytes, remaining);
        }
    }

    /// <summary>Releases the cipher.</summary>
    public void Dispose() => aes.Dispose();
}
