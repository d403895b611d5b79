using SecureCompute.Mpc.Sharing;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Engine;

/// <summary>Reciprocal and inverse square root: normalisation by comparisons, then Newton iterations.</summary>
public sealed partial class MpcEngine
{
    /// <summary>Inputs below 2^<see cref="LowestExponent"/> are treated as if they were 2^LowestExponent.</summary>
    public const int LowestExponent = -8;

    /// <summary>Inputs must be below 2^(<see cref="HighestExponent"/> + 1).</summary>
    public const int HighestExponent = 14;

    private const int ReciprocalIterations = 2;
    private const int InverseSqrtIterations = 3;

    /// <summary>
    /// 1/x for x in [2^-8, 2^15): |error| ≤ 2^-12·(1/x) + 2^-15 (tested), 20 rounds.
    /// </summary>
    /// <remarks>
    /// Steps:
    /// 1. One batched sign protocol gives b_e = [x ≥ 2^e] for e = −7..14, hence the one-hot exponent h_e of x
    ///    (x in [2^e, 2^(e+1)); everything below 2^-7 lands in e = −8). [8 rounds]
    /// 2. s = Σ h_e·2^−(e+1) is local (h_e are integers, the weights public), and x_n = x·s lies in [½, 1); the Newton
    ///    start below comes out of the same batched product. [2 rounds]
    /// 3. Newton for 1/x_n from y_0 = 48/17 − 32/17·x_n (relative error ≤ 1/17): y ← y·(2 − x_n·y); the relative error
    ///    squares each step: 1/17 → 3.5·10^-3 → 1.2·10^-5, already below the fixed-point resolution on y ∈ (1, 2]
    ///    (2^-16 / y ≥ 1.5·10^-5). 2 steps × 4 rounds. [8 rounds]
    /// 4. 1/x = y·s. [2 rounds]
    /// Rounds: 20.
    /// </remarks>
    public SharedTensor Reciprocal(SharedTensor x)
    {
        SharedTensor[] oneHot = ExponentOneHot(x);
        using SharedTensor s = Weighted(oneHot, e => Math.Pow(2, -(e + 1)));
        var (normalised, y) = NormaliseWithStart(x, oneHot, e => Math.Pow(2, -(e + 1)), 48.0 / 17, 32.0 / 17);
        for (int i = 0; i < ReciprocalIterations; i++)
        {
            using SharedTensor product = MultiplyFixed(normalised, y);
            using SharedTensor correction = product.Negate().AddPublic(Public(2.0 * Format.Scale));
            SharedTensor next = MultiplyFixed(y, correction);
            y.Dispose();
            y = next;
        }
        SharedTensor result = MultiplyFixed(y, s);
        y.Dispose();
        normalised.Dispose();
        Dispose(oneHot);
        return result;
    }

    /// <summary>
    /// 1/√x for x in [2^-8, 2^15): |error| ≤ 2^-12·(1/√x) + 2^-15 (tested), 30 rounds.
    /// </summary>
    /// <remarks>
    /// Steps:
    /// 1. The one-hot exponent h_e as for <see cref="Reciprocal"/>. [8 rounds]
    /// 2. With m_e = ⌈(e + 1) / 2⌉, x_n = x·Σ h_e·2^(−2m_e) lies in [¼, 1); the start comes out of the same product. [2 rounds]
    /// 3. Newton for 1/√x_n from the best linear start y_0 = 2.135 − 1.224·x_n (relative error ≤ 8.6%, found by search
    ///    over [¼, 1]): y ← y·(3 − x_n·y²)/2, the halving folded into the truncation; error 8.6% → 1.1% → 1.8·10^-4 →
    ///    5·10^-8. 3 steps × 6 rounds. [18 rounds]
    /// 4. 1/√x = y·Σ h_e·2^(−m_e). [2 rounds]
    /// Rounds: 30.
    /// </remarks>
    public SharedTensor InverseSqrt(SharedTensor x)
    {
        SharedTensor[] oneHot = ExponentOneHot(x);
        using SharedTensor s1 = Weighted(oneHot, e => Math.Pow(2, -HalfExponent(e)));
        var (normalised, y) = NormaliseWithStart(x, oneHot, e => Math.Pow(2, -2 * HalfExponent(e)), 2.135, 1.224);
        for (int i = 0; i < InverseSqrtIterations; i++)
        {
            using SharedTensor square = SquareFixed(y);
            using SharedTensor scaled = MultiplyFixed(normalised, square);
            using SharedTensor correction = scaled.Negate().AddPublic(Public(3.0 * Format.Scale));
            using SharedTensor product = Multiply(y, correction);
            SharedTensor next = Truncate(product, Format.FractionalBits + 1);
            y.Dispose();
            y = next;
        }
        SharedTensor result = MultiplyFixed(y, s1);
        y.Dispose();
        normalised.Dispose();
        Dispose(oneHot);
        return result;
    }

    /// <summary>The largest <c>shift</c> <see cref="ClipFactor"/> takes: its threshold 2^(−2·shift) must lie above the lowest exponent bucket.</summary>
    public const int MaxClipShift = 3;

    /// <summary>
    /// min(1, 2^−shift/√x) for x ≥ 0 below 2^(<see cref="HighestExponent"/> + 1), and 0 for x at or above it: the
    /// per-example clip factor min(1, C/‖g‖) from x = ‖g‖²·2^(−2·shift)/C², 31 rounds. An input too large to normalise
    /// gets 0 — its example is dropped, never under-clipped, so the clipped norm stays at most C whatever the input.
    /// </summary>
    /// <remarks>
    /// Steps:
    /// 1. One batched sign gives the one-hot exponent h_e of x (e = −8..14) and h_over = [x ≥ 2^15]. [8 rounds]
    /// 2. With m_e = ⌈(e + 1) / 2⌉ the Newton iteration of <see cref="InverseSqrt"/> runs on x_n = x·Σ h_e·2^(−2m_e),
    ///    h_over weighted 0 (its x_n is 0, and its y stays bounded). [2 + 18 rounds]
    /// 3. result = y·Σ_{e ≥ −2·shift} h_e·2^(−m_e − shift) + Σ_{e &lt; −2·shift} h_e: exactly 1 where ‖g‖ &lt; C (those
    ///    buckets hold x &lt; 2^(−2·shift), i.e. ‖g‖² &lt; C²), the inverse square root elsewhere, 0 on overflow. The
    ///    bucket boundary is a power of two, so no bucket mixes the two cases while shift ≤ <see cref="MaxClipShift"/>.
    ///    [2 rounds]
    /// Error: that of <see cref="InverseSqrt"/> on 2^−shift/√x (≤ 2^-12 relative + 2^-15 absolute, tested), none
    /// where the factor is 1 or 0.
    /// </remarks>
    public SharedTensor ClipFactor(SharedTensor x, int shift)
    {
        if (shift < 0 || shift > MaxClipShift)
        {
            throw new ArgumentOutOfRangeException(nameof(shift), shift, $"The clip factor's shift must be in 0..{MaxClipShift}.");
        }
        SharedTensor[] buckets = ExponentOneHot(x, overflow: true);
        SharedTensor[] oneHot = buckets[..^1];
        int threshold = -2 * shift;
        using SharedTensor s1 = Weighted(oneHot, e => e < threshold ? 0 : Math.Pow(2, -HalfExponent(e) - shift));
        using SharedTensor below = Weighted(oneHot, e => e < threshold ? 1 : 0);
        var (normalised, y) = NormaliseWithStart(x, oneHot, e => Math.Pow(2, -2 * HalfExponent(e)), 2.135, 1.224);
        for (int i = 0; i < InverseSqrtIterations; i++)
        {
            using SharedTensor square = SquareFixed(y);
            using SharedTensor scaled = MultiplyFixed(normalised, square);
            using SharedTensor correction = scaled.Negate().AddPublic(Public(3.0 * Format.Scale));
            using SharedTensor product = Multiply(y, correction);
            SharedTensor next = Truncate(product, Format.FractionalBits + 1);
            y.Dispose();
            y = next;
        }
        using SharedTensor clipped = MultiplyFixed(y, s1);
        SharedTensor result = clipped.Add(below);
        y.Dispose();
        normalised.Dispose();
        Dispose(buckets);
        return result;
    }

    /// <summary>
    /// x_n = x·Σ h_e·w(e) and the linear Newton start y_0 = a − b·x_n, both from one batched product (2 rounds):
    /// y_0 = a − x·Σ h_e·(b·w(e)), the second weights being public too.
    /// </summary>
    private (SharedTensor Normalised, SharedTensor Start) NormaliseWithStart(SharedTensor x, SharedTensor[] oneHot, Func<int, double> weight, double a, double b)
    {
        using SharedTensor scale = Weighted(oneHot, weight);
        using SharedTensor slope = Weighted(oneHot, e => b * weight(e));
        using SharedTensor left = Stack(new[] { x, x });
        using SharedTensor right = Stack(new[] { scale, slope });
        using SharedTensor products = MultiplyFixed(left, right);
        SharedTensor normalised = products.Slice(0, 0, 1).Reshape(x.Shape);
        using SharedTensor slopeTimesX = products.Slice(0, 1, 1).Reshape(x.Shape);
        SharedTensor start = slopeTimesX.Negate().AddPublic(Public(a * Format.Scale));
        return (normalised, start);
    }

    private static int HalfExponent(int e) => (int)Math.Ceiling((e + 1) / 2.0);

    /// <summary>
    /// h_e = [2^e ≤ x &lt; 2^(e+1)] for e = LowestExponent..HighestExponent (the lowest bucket also takes smaller x): one
    /// batched sign. With <paramref name="overflow"/>, one more bucket at the end, [x ≥ 2^(HighestExponent + 1)], and the
    /// highest bucket no longer takes larger x.
    /// </summary>
    private SharedTensor[] ExponentOneHot(SharedTensor x, bool overflow = false)
    {
        int[] thresholds = Enumerable.Range(LowestExponent + 1, HighestExponent - LowestExponent + (overflow ? 1 : 0)).ToArray();
        SharedTensor[] gaps = thresholds.Select(e => x.AddPublic(Public(-Math.Pow(2, e) * Format.Scale))).ToArray();
        using SharedTensor stacked = Stack(gaps);
        Dispose(gaps);
        using SharedTensor below = LessThanZero(stacked);                 // [x < 2^e]
        SharedTensor[] atLeast = thresholds.Select((_, i) => below.Slice(0, i, 1).Reshape(x.Shape).Negate().AddPublic(Public(1))).ToArray();
        var oneHot = new SharedTensor[thresholds.Length + 1];
        oneHot[0] = atLeast[0].Negate().AddPublic(Public(1));                // e = Lowest: not [x ≥ 2^(Lowest+1)]
        for (int i = 1; i < thresholds.Length; i++)
        {
            oneHot[i] = atLeast[i - 1].Subtract(atLeast[i]);
        }
        oneHot[thresholds.Length] = atLeast[^1];
        return oneHot;
    }

    /// <summary>Σ h_e·encode(w(e)): local, since h_e are 0/1 integers and the weights public.</summary>
    private SharedTensor Weighted(SharedTensor[] oneHot, Func<int, double> weight)
    {
        SharedTensor? sum = null;
        for (int i = 0; i < oneHot.Length; i++)
        {
            SharedTensor term = oneHot[i].MultiplyPublic(Format.Encode(weight(LowestExponent + i)));
            sum = sum is null ? term : sum.Add(term);
        }
        return sum!;
    }

    private Tensor Public(double ringValue) => tensor((long)Math.Round(ringValue)).to(Device);

    private static void Dispose(IEnumerable<SharedTensor> tensors)
    {
        foreach (SharedTensor t in tensors)
        {
            t.Dispose();
        }
    }
}
