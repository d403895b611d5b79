namespace SecureCompute.Mpc.Dealer;

/// <summary>Result shapes of element-wise and matrix products (NumPy / torch rules), checked before any work.</summary>
public static class RingShapes
{
    /// <summary>The broadcast shape of two operands, or an error naming both shapes.</summary>
    public static long[] Broadcast(long[] a, long[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long x = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            long y = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (x != y && x != 1 && y != 1)
            {
                throw new ArgumentException($"Shapes {Show(a)} and {Show(b)} do not broadcast.");
            }
            result[i] = x == 1 ? y : x;
        }
        return result;
    }

    /// <summary>The shape of torch.matmul(a, b), or an error naming both shapes.</summary>
    public static long[] MatMul(long[] a, long[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            throw new ArgumentException($"Matrix product of shapes {Show(a)} and {Show(b)}: scalars have no matrix product.");
        }
        long k = a[^1];
        long kb = b.Length == 1 ? b[0] : b[^2];
        if (k != kb)
        {
            throw new ArgumentException($"Matrix product of shapes {Show(a)} and {Show(b)}: inner dimensions {k} and {kb} differ.");
        }
        long[] aRows = a.Length == 1 ? Array.Empty<long>() : new[] { a[^2] };
        long[] bCols = b.Length == 1 ? Array.Empty<long>() : new[] { b[^1] };
        long[] batch = Broadcast(a.Length > 2 ? a[..^2] : Array.Empty<long>(), b.Length > 2 ? b[..^2] : Array.Empty<long>());
        return batch.Concat(aRows).Concat(bCols).ToArray();
    }

    /// <summary>Formats a shape as [d0, d1, …].</summary>
    public static string Show(long[] shape) => $"[{string.Join(", ", shape)}]";
}
