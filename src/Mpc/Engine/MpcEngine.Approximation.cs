using SecureCompute.Mpc.Approximations;
using SecureCompute.Mpc.Sharing;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Engine;

/// <summary>Non-linear functions by clipped Chebyshev series, as the simulator runs them.</summary>
public sealed partial class MpcEngine
{
    /// <summary>Sigmoid: <see cref="ChebyshevApproximation.Sigmoid"/>, 18 rounds.</summary>
    public SharedTensor Sigmoid(SharedTensor x) => Approximate(x, ChebyshevApproximation.Sigmoid);

    /// <summary>σ(x·y) for a matrix product that is not truncated first: the product's truncation folds into the map (1 + 18 rounds).</summary>
    /// <param name="x">Left factor (f fractional bits).</param>
    /// <param name="y">Right factor (f fractional bits).</param>
    /// <param name="approximation">The sigmoid approximation (default: degree 15 on [−8, 8]).</param>
    /// <param name="truncateResult">False leaves the result at 2f fractional bits and saves the last round, for a
    /// caller whose next product can carry the extra bits.</param>
    public SharedTensor SigmoidOfMatMul(SharedTensor x, SharedTensor y, ChebyshevApproximation? approximation = null, bool truncateResult = true)
    {
        using SharedTensor product = MatMul(x, y);
        return Approximate(product, approximation ?? ChebyshevApproximation.Sigmoid, Format.FractionalBits, truncateResult);
    }

    /// <summary>exp for x ≤ 0: <see cref="ChebyshevApproximation.ExpNonPositive"/>, 18 rounds.</summary>
    public SharedTensor ExpNonPositive(SharedTensor x) => Approximate(x, ChebyshevApproximation.ExpNonPositive);

    /// <summary>
    /// Evaluates a clipped Chebyshev approximation.
    /// </summary>
    /// <remarks>
    /// Steps:
    /// 1–2. Clip x to [a, b] and map it to t = (2x − a − b) / (b − a) (<see cref="ClipAndMap"/>, 9 rounds: the map's
    ///    truncation rides in the comparison's first open).
    /// 3. T_0 = 1, T_1 = t; level by level, T_k = 2·T_⌈k/2⌉·T_⌊k/2⌋ − T_(k mod 2) for 2^(l−1) &lt; k ≤ 2^l, all
    ///    products of a level in one batched fixed-point multiply (2 rounds per level, ⌈log2 d⌉ levels); only the terms
    ///    the sum needs, and those they are built from, are formed. Every T_k stays in [−1, 1], so each carries only
    ///    the truncation error of its level.
    /// 4. Σ c_k·T_k: public coefficients multiply locally, one truncation for the sum (1 round); c_0 is added publicly.
    /// Rounds: 9 + 2⌈log2 d⌉ + 1 (18 for d = 15; 17 when the caller takes the sum at 2f bits). Bytes per element: those of the clip, then 8 per round per
    /// element for the map and the sum, and 16·(terms of the level) per multiply round.
    /// </remarks>
    /// <param name="x">The shared input.</param>
    /// <param name="approximation">The function, interval and series.</param>
    /// <param name="extraBits">x carries f + extraBits fractional bits, e.g. 16 for an untruncated fixed-point product:
    /// the clip works at that scale and the map's truncation removes the extra bits too, which saves the product's
    /// own truncation round.</param>
    /// <param name="truncateResult">False returns Σ c_k·T_k at 2f fractional bits, without the last round.</param>
    public SharedTensor Approximate(SharedTensor x, ChebyshevApproximation approximation, int extraBits = 0, bool truncateResult = true)
    {
        double a = approximation.Lower, b = approximation.Upper;
        using SharedTensor t = ClipAndMap(x, a, b, extraBits);

        int degree = approximation.Series.Degree;
        IReadOnlyList<double> c = approximation.Series.Coefficients;
        bool[] needed = NeededTerms(c.Select(Format.Encode).ToArray());
        var terms = new SharedTensor?[degree + 1];
        terms[1] = t;
        for (int known = 1; known < degree; known *= 2)
        {
            int[] ks = Enumerable.Range(known + 1, Math.Min(degree, 2 * known) - known).Where(k => needed[k]).ToArray();
            if (ks.Length == 0)
            {
                continue;
            }
            SharedTensor left = Stack(ks.Select(k => terms[(k + 1) / 2]!).ToArray());
            SharedTensor right = Stack(ks.Select(k => terms[k / 2]!).ToArray());
            using SharedTensor products = MultiplyFixed(left, right);
            for (int i = 0; i < ks.Length; i++)
            {
                int k = ks[i];
                SharedTensor doubled = products.Slice(0, i, 1).Reshape(x.Shape).MultiplyPublic(2L);
                terms[k] = k % 2 == 1 ? doubled.Subtract(t) : doubled.AddPublic(tensor(-Format.Scale).to(Device));
            }
        }

        SharedTensor? weighted = null;
        for (int k = 1; k <= degree; k++)
        {
            long coefficient = Format.Encode(c[k]);
            if (coefficient == 0 || terms[k] is null)
            {
                continue;
            }
            SharedTensor term = terms[k]!.MultiplyPublic(coefficient);
            weighted = weighted is null ? term : weighted.Add(term);
        }
        if (!truncateResult)
        {
            return weighted!.AddPublic(tensor(Format.Encode(c[0]) << Format.FractionalBits).to(Device));
        }
        using SharedTensor sum = Truncate(weighted!);
        return sum.AddPublic(tensor(Format.Encode(c[0])).to(Device));
    }

    /// <summary>
    /// t = (2·clip(x, a, b) − a − b) / (b − a) at f bits in 9 rounds: the signs of x − a and b − x in one batched sign
    /// protocol whose first open also carries the map's truncation of the unclipped x (so the map costs no round of its
    /// own), then t = t_0 + [x &lt; a]·(−1 − t_0) + [x &gt; b]·(1 − t_0) in one batched product.
    /// </summary>
    private SharedTensor ClipAndMap(SharedTensor x, double a, double b, int extraBits)
    {
        if (!(a < b))
        {
            throw new ArgumentException($"The interval [{a}, {b}] is empty.");
        }
        using Tensor lowRing = tensor(Format.Encode(a) << extraBits).to(Device);
        using Tensor highRing = tensor(Format.Encode(b) << extraBits).to(Device);
        using SharedTensor belowSign = x.AddPublic(lowRing.neg());       // x − a
        using SharedTensor aboveGap = x.Negate().AddPublic(highRing);     // b − x
        using SharedTensor signs = Stack(new[] { belowSign, aboveGap });
        using SharedTensor scaledX = x.MultiplyPublic(Format.Encode(2 / (b - a)));
        using SharedTensor outside = LessThanZero(signs, scaledX, Format.FractionalBits + extraBits, out SharedTensor? mapped);
        using SharedTensor unclipped = mapped!.AddPublic(tensor(Format.Encode(-(a + b) / (b - a))).to(Device));
        mapped.Dispose();
        using SharedTensor toLow = unclipped.Negate().AddPublic(tensor(-Format.Scale).to(Device));   // −1 − t_0
        using SharedTensor toHigh = unclipped.Negate().AddPublic(tensor(Format.Scale).to(Device));   // 1 − t_0
        using SharedTensor gaps = Stack(new[] { toLow, toHigh });
        using SharedTensor corrections = Multiply(outside, gaps);
        using SharedTensor raised = unclipped.Add(corrections.Slice(0, 0, 1).Reshape(x.Shape));
        return raised.Add(corrections.Slice(0, 1, 1).Reshape(x.Shape));
    }

    /// <summary>
    /// Which T_k to build: those with a non-zero encoded coefficient and, recursively, the T_⌈k/2⌉ and T_⌊k/2⌋ they are
    /// built from (for an odd function the even terms of the last level drop out).
    /// </summary>
    private static bool[] NeededTerms(long[] encodedCoefficients)
    {
        var needed = new bool[encodedCoefficients.Length];
        for (int k = encodedCoefficients.Length - 1; k >= 1; k--)
        {
            needed[k] |= encodedCoefficients[k] != 0;
            if (needed[k] && k > 1)
            {
                needed[(k + 1) / 2] = true;
                needed[k / 2] = true;
            }
        }
        return needed;
    }

    private static SharedTensor Stack(IReadOnlyList<SharedTensor> parts) =>
        new(Enumerable.Range(0, parts[0].Shares.Length)
            .Select(i => new ShareTensor(parts[0].Shares[i].Party, stack(parts.Select(p => p.Shares[i].Value).ToArray(), 0))).ToArray());
}
