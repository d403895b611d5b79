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

    /// <summary>h_e = [2^e ≤ x &lt; 2^(e+1)] for e = LowestExponent..HighestExponent (the lowest bucket also takes smaller x): one batched sign.</summary>
    private SharedTensor[] ExponentOneHot(SharedTensor x)
    {
        int[] thresholds = Enumerable.Range(LowestExponent + 1, HighestExponent - LowestExponent).ToArray();
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
