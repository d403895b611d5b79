using System.Numerics;
using System.Runtime.InteropServices;
using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Interfaces.Wire;

namespace SecureCompute.Grains.Sessions;

/// <summary>The coordinator's open on wire messages: sums the parties' tensors mod 2^64 (or XORs them), in managed code.</summary>
/// <remarks>The coordinator needs no tensor library: the sum of little-endian int64 words wraps mod 2^64 by itself.</remarks>
public static class OpenCombiner
{
    /// <summary>Combines one message per party, in party order; all must agree on round, kind, count and shapes.</summary>
    public static OpenContribution Combine(IReadOnlyList<OpenContribution> messages)
    {
        OpenContribution first = messages[0];
        for (int p = 1; p < messages.Count; p++)
        {
            OpenContribution m = messages[p];
            if (m.Round != first.Round || m.Xor != first.Xor || m.Values.Length != first.Values.Length)
            {
                throw new ArgumentException($"Round {first.Round}: party {p} sent a different kind or number of tensors ({m.Operation}, {m.Values.Length}) than party 0 ({first.Operation}, {first.Values.Length}); the parties' programs have diverged.");
            }
        }
        var combined = new RingTensor[first.Values.Length];
        for (int k = 0; k < combined.Length; k++)
        {
            RingTensor head = first.Values[k].Validate();
            byte[] sum = (byte[])head.Data.Clone();
            Span<long> total = MemoryMarshal.Cast<byte, long>(sum.AsSpan());
            for (int p = 1; p < messages.Count; p++)
            {
                RingTensor part = messages[p].Values[k].Validate();
                if (!part.Shape.SequenceEqual(head.Shape))
                {
                    throw new ArgumentException($"Round {first.Round}, tensor {k}: party {p} sent shape [{string.Join(", ", part.Shape)}], party 0 [{string.Join(", ", head.Shape)}].");
                }
                Accumulate(total, MemoryMarshal.Cast<byte, long>(part.Data), first.Xor);
            }
            combined[k] = new RingTensor(head.Shape, sum);
        }
        return first with { Values = combined };
    }

    private static void Accumulate(Span<long> total, ReadOnlySpan<long> part, bool xor)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Span<Vector<long>> totals = MemoryMarshal.Cast<long, Vector<long>>(total);
            ReadOnlySpan<Vector<long>> parts = MemoryMarshal.Cast<long, Vector<long>>(part);
            for (int v = 0; v < totals.Length; v++)
            {
                totals[v] = xor ? totals[v] ^ parts[v] : totals[v] + parts[v];
            }
            i = totals.Length * Vector<long>.Count;
        }
        for (; i < total.Length; i++)
        {
            total[i] = xor ? total[i] ^ part[i] : unchecked(total[i] + part[i]);
        }
    }
}
