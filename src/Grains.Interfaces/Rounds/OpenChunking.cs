using SecureCompute.Grains.Interfaces.Wire;

namespace SecureCompute.Grains.Interfaces.Rounds;

/// <summary>
/// Cuts an open larger than one message (<see cref="RingTensor.MaxBytes"/>) into parts, and joins the opened parts.
/// </summary>
/// <remarks>
/// Steps:
/// 1. The party lays its message's tensors end to end (protocol order, row-major) and cuts the bytes into parts of at
///    most <c>maxBytes</c>; each part travels as one flat tensor with (round, part index, part count).
/// 2. The coordinator combines each part like any open (every party cuts identically: the shapes are public).
/// 3. The party joins the opened parts and restores its tensors' shapes.
/// Summing mod 2^64 (or XOR) is element-wise, so combining parts equals combining the whole.
/// </remarks>
public static class OpenChunking
{
    /// <summary>The parts of <paramref name="message"/> (itself when it fits).</summary>
    public static OpenContribution[] Split(OpenContribution message, int maxBytes = RingTensor.MaxBytes)
    {
        if (maxBytes < sizeof(long) || maxBytes % sizeof(long) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "A part holds a positive whole number of ring elements.");
        }
        long total = message.Values.Sum(v => v.Data.LongLength);
        if (total <= maxBytes)
        {
            return new[] { message };
        }
        int count = (int)((total + maxBytes - 1) / maxBytes);
        var parts = new OpenContribution[count];
        long offset = 0;
        int tensor = 0;
        long within = 0;
        for (int p = 0; p < count; p++)
        {
            int size = (int)Math.Min(maxBytes, total - offset);
            byte[] bytes = new byte[size];
            int filled = 0;
            while (filled < size)
            {
                byte[] source = message.Values[tensor].Data;
                int take = (int)Math.Min(size - filled, source.LongLength - within);
                Array.Copy(source, within, bytes, filled, take);
                filled += take;
                within += take;
                if (within == source.LongLength)
                {
                    tensor++;
                    within = 0;
                }
            }
            offset += size;
            parts[p] = message with { Values = new[] { new RingTensor(new long[] { size / sizeof(long) }, bytes) }, Chunk = p, Chunks = count };
        }
        return parts;
    }

    /// <summary>Joins the opened parts (in part order) back into tensors of <paramref name="shapes"/>.</summary>
    public static OpenContribution Join(IReadOnlyList<OpenContribution> parts, IReadOnlyList<long[]> shapes)
    {
        if (parts.Count == 1 && parts[0].Chunks == 1)
        {
            return parts[0];
        }
        if (parts.Select((p, i) => p.Chunk == i && p.Chunks == parts.Count).Any(ok => !ok))
        {
            throw new ArgumentException($"Round {parts[0].Round}: the opened parts are incomplete or out of order.", nameof(parts));
        }
        byte[][] pieces = parts.Select(p => p.Values.Single().Data).ToArray();
        var values = new RingTensor[shapes.Count];
        int piece = 0;
        long within = 0;
        for (int t = 0; t < shapes.Count; t++)
        {
            long length = shapes[t].Aggregate(1L, (a, b) => a * b) * sizeof(long);
            byte[] data = new byte[length];
            long filled = 0;
            while (filled < length)
            {
                int take = (int)Math.Min(length - filled, pieces[piece].LongLength - within);
                Array.Copy(pieces[piece], within, data, filled, take);
                filled += take;
                within += take;
                if (within == pieces[piece].LongLength)
                {
                    piece++;
                    within = 0;
                }
            }
            values[t] = new RingTensor(shapes[t], data);
        }
        return parts[0] with { Values = values, Chunk = 0, Chunks = 1 };
    }
}
