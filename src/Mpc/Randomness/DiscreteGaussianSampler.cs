using System.Numerics;

namespace SecureCompute.Mpc.Randomness;

/// <summary>
/// Exact samples of the discrete Gaussian N_Z(0, σ²) — P[X = x] ∝ exp(−x²/(2σ²)) over the integers — for a rational
/// σ² = numerator/denominator, from a <see cref="PrgStream"/>: integer arithmetic only, no floating point anywhere.
/// </summary>
/// <remarks>
/// Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020), Algorithms 1–3:
/// 1. Bernoulli(exp(−γ)) for rational γ ∈ [0, 1]: K ← 1; while Bernoulli(γ/K) K ← K + 1; output [K odd]. For γ > 1,
///    ⌊γ⌋ draws of Bernoulli(exp(−1)) must all succeed, then one of Bernoulli(exp(−(γ − ⌊γ⌋))). Bernoulli(γ/K) is
///    Bernoulli(γ) and Bernoulli(1/K), so no product of denominators is ever formed.
/// 2. The discrete Laplace with scale t: U uniform in [0, t), kept with probability exp(−U/t); V ≥ 0 counts successes
///    of Bernoulli(exp(−1)) before the first failure; X = U + t·V; a fair sign, rejecting −0.
/// 3. With t = ⌊σ⌋ + 1, a discrete Laplace Y is kept with probability exp(−(|Y| − σ²/t)²/(2σ²)); written over the
///    integers, γ = (|Y|·D·t − N)² / (2·N·D·t²) for σ² = N/D.
/// Uniform integers below n come from the stream's bits by rejection (masked to n's bit length): no modulo bias. The
/// expected number of candidates per sample is below 2 (CKS20, §5), and each one draws a few 64-bit words.
/// Floating-point samplers leak through their rounding (Mironov 2012; the Opacus issue #616); this one has none.
/// </remarks>
public sealed class DiscreteGaussianSampler
{
    /// <summary>The largest σ² accepted (so that t = ⌊σ⌋ + 1 and |X| stay far inside a long).</summary>
    public static readonly BigInteger MaxVariance = BigInteger.One << 100;

    private const int BufferBytes = 4096;
    private readonly PrgStream stream;
    private readonly byte[] buffer = new byte[BufferBytes];
    private int position = BufferBytes;
    private readonly BigInteger numerator;
    private readonly BigInteger denominatorTimesT;
    private readonly BigInteger gammaDenominator;
    private readonly ulong t;

    /// <summary>A sampler of variance parameter σ² = <paramref name="numerator"/> / <paramref name="denominator"/> drawing its bits from <paramref name="stream"/>.</summary>
    public DiscreteGaussianSampler(PrgStream stream, BigInteger numerator, BigInteger denominator)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (numerator.Sign <= 0 || denominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), "σ² must be a positive rational: numerator and denominator above 0.");
        }
        if (numerator > MaxVariance * denominator)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), $"σ² must be at most 2^100 (so that samples fit a long).");
        }
        this.stream = stream;
        this.numerator = numerator;
        Denominator = denominator;
        Numerator = numerator;
        t = (ulong)IntegerSqrt(numerator / denominator) + 1;
        denominatorTimesT = denominator * t;
        gammaDenominator = 2 * numerator * denominator * t * t;
    }

    /// <summary>σ²'s numerator.</summary>
    public BigInteger Numerator { get; }

    /// <summary>σ²'s denominator.</summary>
    public BigInteger Denominator { get; }

    /// <summary>The discrete Laplace scale t = ⌊σ⌋ + 1 the rejection proposes from.</summary>
    public ulong LaplaceScale => t;

    /// <summary>One sample.</summary>
    public long Next()
    {
        while (true)
        {
            long y = DiscreteLaplace();
            BigInteger gap = BigInteger.Abs(y) * denominatorTimesT - numerator;
            if (BernoulliExpMinus(gap * gap, gammaDenominator))
            {
                return y;
            }
        }
    }

    /// <summary>Fills <paramref name="destination"/> with independent samples.</summary>
    public void Fill(Span<long> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Next();
        }
    }

    /// <summary>A uniform integer in [0, <paramref name="n"/>), by rejection of the masked bits (no modulo bias).</summary>
    public ulong UniformBelow(ulong n)
    {
        if (n == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), "The range [0, n) needs n ≥ 1.");
        }
        if (n == 1)
        {
            return 0;
        }
        ulong mask = ulong.MaxValue >> BitOperations.LeadingZeroCount(n - 1);
        while (true)
        {
            ulong r = NextUInt64() & mask;
            if (r < n)
            {
                return r;
            }
        }
    }

    /// <summary>The discrete Laplace with scale t (CKS20 Algorithm 2).</summary>
    private long DiscreteLaplace()
    {
        while (true)
        {
            ulong u = UniformBelow(t);
            if (!BernoulliExpMinusAtMostOne(u, t))
            {
                continue;
            }
            ulong v = 0;
            while (BernoulliExpMinusAtMostOne(1, 1))
            {
                v++;
            }
            ulong x = checked(u + t * v);
            bool negative = (NextUInt64() & 1) == 1;
            if (negative && x == 0)
            {
                continue;
            }
            return negative ? -checked((long)x) : checked((long)x);
        }
    }

    /// <summary>Bernoulli(exp(−a/b)) for any a ≥ 0, b &gt; 0 (CKS20 Algorithm 1 with the integer part split off).</summary>
    private bool BernoulliExpMinus(BigInteger a, BigInteger b)
    {
        BigInteger whole = BigInteger.DivRem(a, b, out BigInteger remainder);
        // Each of the ⌊γ⌋ draws fails with probability 1 − 1/e, so the loop ends after 1.6 draws on average.
        for (BigInteger i = BigInteger.Zero; i < whole; i++)
        {
            if (!BernoulliExpMinusAtMostOne(1, 1))
            {
                return false;
            }
        }
        if (remainder.IsZero)
        {
            return true;
        }
        if (b <= ulong.MaxValue)
        {
            return BernoulliExpMinusAtMostOne((ulong)remainder, (ulong)b);
        }
        if (b <= UInt128.MaxValue)
        {
            UInt128 small = (UInt128)b, part = (UInt128)remainder;
            int k = 1;
            while (UniformBelow(small) < part && UniformBelow((ulong)k) == 0)
            {
                k++;
            }
            return k % 2 == 1;
        }
        int count = 1;
        while (UniformBelow(b) < remainder && UniformBelow((ulong)count) == 0)
        {
            count++;
        }
        return count % 2 == 1;
    }

    /// <summary>Bernoulli(exp(−a/b)) for 0 ≤ a ≤ b: K ← 1; while Bernoulli(a/b)·Bernoulli(1/K), K ← K + 1; [K odd].</summary>
    private bool BernoulliExpMinusAtMostOne(ulong a, ulong b)
    {
        int k = 1;
        while (UniformBelow(b) < a && UniformBelow((ulong)k) == 0)
        {
            k++;
        }
        return k % 2 == 1;
    }

    private UInt128 UniformBelow(UInt128 n)
    {
        UInt128 mask = UInt128.MaxValue >> (int)UInt128.LeadingZeroCount(n - 1);
        while (true)
        {
            UInt128 r = (((UInt128)NextUInt64() << 64) | NextUInt64()) & mask;
            if (r < n)
            {
                return r;
            }
        }
    }

    private BigInteger UniformBelow(BigInteger n)
    {
        long bits = (n - 1).GetBitLength();
        var bytes = new byte[(bits + 7) / 8];
        int excess = (int)(bytes.Length * 8 - bits);
        while (true)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = NextByte();
            }
            bytes[^1] &= (byte)(0xFF >> excess);
            var r = new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
            if (r < n)
            {
                return r;
            }
        }
    }

    private ulong NextUInt64()
    {
        if (position > BufferBytes - 8)
        {
            Refill();
        }
        ulong value = BitConverter.ToUInt64(buffer, position);
        position += 8;
        return value;
    }

    private byte NextByte()
    {
        if (position >= BufferBytes)
        {
            Refill();
        }
        return buffer[position++];
    }

    private void Refill()
    {
        stream.Fill(buffer);
        position = 0;
    }

    private static BigInteger IntegerSqrt(BigInteger n)
    {
        if (n < 2)
        {
            return n;
        }
        // Newton from above: x ← (x + n/x)/2 decreases to ⌊√n⌋.
        BigInteger x = BigInteger.One << (int)((n.GetBitLength() + 1) / 2);
        while (true)
        {
            BigInteger next = (x + n / x) >> 1;
            if (next >= x)
            {
                return x;
            }
            x = next;
        }
    }
}
