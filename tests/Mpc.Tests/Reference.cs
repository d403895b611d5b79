using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

/// <summary>Independent plaintext references: managed loops over ulong (wrapping = mod 2^64), not TorchSharp's kernels.</summary>
internal static class Reference
{
    /// <summary>Σ of all shares, mod 2^64, by managed arithmetic.</summary>
    public static long[] Reconstruct(SharedTensor x)
    {
        long[] sum = new long[x.Shares[0].ElementCount];
        foreach (var share in x.Shares)
        {
            long[] values = share.Value.contiguous().data<long>().ToArray();
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] = unchecked(sum[i] + values[i]);
            }
        }
        return sum;
    }

    /// <summary>Row-major (m×k)·(k×n) mod 2^64 by triple loop.</summary>
    public static long[] MatMul(long[] a, long[] b, int m, int k, int n)
    {
        var c = new long[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                ulong aip = (ulong)a[i * k + p];
                for (int j = 0; j < n; j++)
                {
                    c[i * n + j] = unchecked((long)((ulong)c[i * n + j] + aip * (ulong)b[p * n + j]));
                }
            }
        }
        return c;
    }

    /// <summary>Uniform random int64 tensor from a seeded managed generator (full range, reproducible per test).</summary>
    public static Tensor RandomRing(Random random, params long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var bytes = new byte[count * sizeof(long)];
        random.NextBytes(bytes);
        var values = new long[count];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return tensor(values, shape);
    }

    /// <summary>A tensor's elements as a managed array.</summary>
    public static long[] Longs(Tensor t) => t.contiguous().data<long>().ToArray();

    /// <summary>A tensor's elements as a managed array.</summary>
    public static double[] Doubles(Tensor t) => t.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
}
