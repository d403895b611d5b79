using SecureCompute.Mpc.Approximations;
using SecureCompute.Mpc.Engine;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Secret;

/// <summary>Non-linear functions written against <see cref="SecretTensor"/>; each takes its input at any scale.</summary>
public static class SecretFunctions
{
    /// <summary>
    /// σ(x) by a clipped Chebyshev series (default: degree 15 on [−8, 8]); an untruncated input's extra bits fold into
    /// the map, and the result is left at 2f bits for the next product (17 rounds for degree 15, 15 for degree 7). Its
    /// range is the series' bounds, so σ(x·w) − y times standardised rows may stay at 3f (<see cref="SecretTensor"/>, rule 2).
    /// </summary>
    public static SecretTensor Sigmoid(this SecretTensor x, ChebyshevApproximation? approximation = null) =>
        x.Approximate(approximation ?? ChebyshevApproximation.Sigmoid, truncateResult: false);

    /// <summary>exp(x) for x ≤ 0 (clipped to [−16, 0]): Chebyshev series, 18 rounds.</summary>
    public static SecretTensor ExpNonPositive(this SecretTensor x) => x.Approximate(ChebyshevApproximation.ExpNonPositive);

    /// <summary>
    /// A clipped Chebyshev approximation (<see cref="Engine.MpcEngine.Approximate"/>) at f bits, or at 2f without the
    /// last round when <paramref name="truncateResult"/> is false; its range is the series' output bounds.
    /// </summary>
    public static SecretTensor Approximate(this SecretTensor x, ChebyshevApproximation approximation, bool truncateResult = true)
    {
        int f = x.Engine.Format.FractionalBits;
        if (x.FractionalBits < f)
        {
            using SecretTensor lifted = x.At(f);
            return lifted.Approximate(approximation, truncateResult);
        }
        (double lower, double upper) = approximation.OutputBounds;
        return x.With(x.Engine.Approximate(x.Shares, approximation, x.FractionalBits - f, truncateResult), truncateResult ? f : 2 * f, new ValueRange(lower, upper));
    }

    /// <summary>1/x for x in [2^-8, 2^15) (<see cref="Engine.MpcEngine.Reciprocal"/>), 20 rounds (21 from a wide input).</summary>
    public static SecretTensor Reciprocal(this SecretTensor x)
    {
        using SecretTensor normal = x.Normalised();
        return x.With(x.Engine.Reciprocal(normal.Shares), x.Engine.Format.FractionalBits, ValueRange.Unknown);
    }

    /// <summary>
    /// The clip factors min(1, C/√n) of squared norms n ≥ 0 (<see cref="Engine.MpcEngine.ClipFactor"/>): 31 rounds (one
    /// to scale n by 2^(−2·shift)/C², 30 for the factor), the result at f bits in [0, 1].
    /// </summary>
    /// <remarks>
    /// The shift is chosen from the public range of n, the smallest that brings its top below 2^15; with no range, or
    /// one beyond 2^21·C², the largest (3). A norm beyond what the shift covers gets factor 0: its example is dropped,
    /// so every clipped norm is at most C (within the inverse square root's error) whatever the inputs are.
    /// </remarks>
    public static SecretTensor ClipFactor(this SecretTensor squaredNorms, double clipNorm)
    {
        if (!(clipNorm > 0) || !double.IsFinite(clipNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(clipNorm), clipNorm, "The clip norm must be a positive number.");
        }
        int shift = ClipShift(squaredNorms.Range, clipNorm);
        using SecretTensor scaled = squaredNorms.Scale(Math.Pow(2, -2 * shift) / (clipNorm * clipNorm));
        return scaled.With(scaled.Engine.ClipFactor(scaled.Shares, shift), scaled.Engine.Format.FractionalBits, new ValueRange(0, 1));
    }

    /// <summary>The shift <see cref="ClipFactor"/> uses for squared norms in <paramref name="range"/>.</summary>
    public static int ClipShift(ValueRange range, double clipNorm)
    {
        double top = Math.Pow(2, MpcEngine.HighestExponent + 1);
        for (int shift = 0; shift < MpcEngine.MaxClipShift; shift++)
        {
            if (range.IsKnown && range.Hi / (clipNorm * clipNorm) * Math.Pow(2, -2 * shift) < top)
            {
                return shift;
            }
        }
        return MpcEngine.MaxClipShift;
    }

    /// <summary>[x &lt; 0] as integers 0/1 (scale 0), 8 rounds; the sign does not depend on the scale.</summary>
    public static SecretTensor IsNegative(this SecretTensor x) => x.With(x.Engine.LessThanZero(x.Shares), 0, ValueRange.Bit);

    /// <summary>max(x, 0) and the mask [x ≥ 0] (integers) its backward pass multiplies by: 9 rounds, the scale kept.</summary>
    public static (SecretTensor Value, SecretTensor Mask) Relu(this SecretTensor x)
    {
        using SecretTensor negative = x.IsNegative();
        SecretTensor mask = OneMinus(negative);
        return (x * mask, mask);
    }

    /// <summary>max(x, y) element-wise: x + [x &lt; y]·(y − x), 9 rounds.</summary>
    public static SecretTensor Max(this SecretTensor x, SecretTensor y)
    {
        using SecretTensor gap = y - x;
        using SecretTensor less = gap.IsNegative();
        using SecretTensor notLess = OneMinus(less);   // [y − x ≥ 0] = [x ≤ y]
        using SecretTensor raise = notLess * gap;
        return x + raise;
    }

    /// <summary>Each row's maximum ([n, k] → [n, 1]): the one-hot argmax, then Σ onehot ⊙ x (<see cref="ArgmaxOneHot"/> + 1 round).</summary>
    public static SecretTensor RowMax(this SecretTensor x)
    {
        using SecretTensor oneHot = x.ArgmaxOneHot();
        using SecretTensor picked = oneHot * x;
        return picked.Sum(1, keepDimension: true);
    }

    /// <summary>
    /// Softmax over each row: max-shift → exp → sum → reciprocal, the result at 2f bits.
    /// </summary>
    /// <remarks>
    /// Steps:
    /// 1. m = the row maximum (<see cref="RowMax"/>: 9 + ⌈log2(k − 1)⌉ rounds); z = x − m ≤ 0 (local).
    /// 2. e = exp(z) (18 rounds); entries below e^-16 count as e^-16.
    /// 3. s = Σ e over the row (local), s ∈ [1, k]; r = 1/s (20 rounds).
    /// 4. p = e ⊙ r (1 round, left at 2f bits for the next product).
    /// Rounds: 48 + ⌈log2(k − 1)⌉ (52 for k = 10).
    /// </remarks>
    public static SecretTensor Softmax(this SecretTensor x)
    {
        using SecretTensor max = x.RowMax();
        using SecretTensor spread = max.Expand(x.Shape);
        using SecretTensor shifted = x - spread;
        using SecretTensor exp = shifted.ExpNonPositive();
        using SecretTensor sum = exp.Sum(1, keepDimension: true);
        using SecretTensor inverse = sum.Reciprocal();
        using SecretTensor inverseSpread = inverse.Expand(x.Shape);
        return exp * inverseSpread;
    }

    /// <summary>
    /// One-hot marking each row's largest entry (the first of equal ones), as integers (scale 0):
    /// 8 + ⌈log2(k − 1)⌉ rounds for k columns.
    /// </summary>
    /// <remarks>
    /// Steps:
    /// 1. Every pair i &lt; j of columns at once: c_ij = [x_i ≥ x_j], one batched sign protocol over k(k − 1)/2
    ///    differences per row. [8 rounds]
    /// 2. Column i wins when it is at least every later column and above every earlier one:
    ///    w_i = Π_{j&gt;i} c_ij · Π_{j&lt;i} (1 − c_ji), so exactly one column wins, the first of equal maxima. The k − 1
    ///    factors of every column multiply as a balanced tree, all columns together (integers: no truncation).
    ///    [⌈log2(k − 1)⌉ rounds]
    /// A tournament of pairwise maxima would take 9·⌈log2 k⌉ rounds (36 for k = 10, against 12 here), for fewer bytes.
    /// </remarks>
    public static SecretTensor ArgmaxOneHot(this SecretTensor x)
    {
        long k = x.Shape[1];
        if (k == 1)
        {
            using SecretTensor column = x.Slice(1, 0, 1);
            using SharedTensor zero = column.Shares.MultiplyPublic(0L);
            return x.With(zero.AddPublic(ones(1, ScalarType.Int64, x.Engine.Device)), 0, ValueRange.Bit);
        }
        var pairs = new List<(int I, int J)>();
        for (int i = 0; i < k; i++)
        {
            for (int j = i + 1; j < k; j++)
            {
                pairs.Add((i, j));
            }
        }
        using Tensor left = tensor(pairs.Select(p => (long)p.I).ToArray());
        using Tensor right = tensor(pairs.Select(p => (long)p.J).ToArray());
        using SecretTensor a = x.Gather(1, left);
        using SecretTensor b = x.Gather(1, right);
        using SecretTensor gap = a - b;
        using SecretTensor below = gap.IsNegative();     // [x_i < x_j] for each pair i < j
        using SecretTensor atLeast = OneMinus(below);    // [x_i ≥ x_j]
        using SecretTensor bits = SecretTensor.Concatenate(new[] { atLeast, below }, 1);
        int p = pairs.Count;
        var factors = new long[k * (k - 1)];
        for (int i = 0; i < k; i++)
        {
            int f = 0;
            for (int j = 0; j < k; j++)
            {
                if (j == i)
                {
                    continue;
                }
                // i < j: [x_i ≥ x_j] (column of pair (i, j)); i > j: [x_j < x_i] (the "below" column of pair (j, i)).
                factors[i * (k - 1) + f++] = i < j ? pairs.IndexOf((i, j)) : p + pairs.IndexOf((j, i));
            }
        }
        using Tensor index = tensor(factors);
        SecretTensor current = bits.Gather(1, index).Reshape(x.Shape[0], k, k - 1);
        while (current.Shape[2] > 1)
        {
            long m = current.Shape[2];
            long half = m / 2;
            using SecretTensor first = current.Slice(2, 0, half);
            using SecretTensor second = current.Slice(2, half, half);
            SecretTensor product = first * second;
            SecretTensor next = m % 2 == 0 ? product : JoinLast(product, current.Slice(2, m - 1, 1));
            current.Dispose();
            current = next;
        }
        using (current)
        {
            return current.Reshape(x.Shape[0], k);
        }
    }

    /// <summary>1 − b for integers b.</summary>
    private static SecretTensor OneMinus(SecretTensor bits)
    {
        using SecretTensor negated = -bits;
        return negated.With(negated.Shares.AddPublic(ones(1, ScalarType.Int64, bits.Engine.Device)), 0, new ValueRange(1, 1) - bits.Range);
    }

    private static SecretTensor JoinLast(SecretTensor a, SecretTensor b)
    {
        SecretTensor joined = SecretTensor.Concatenate(new[] { a, b }, 2);
        a.Dispose();
        b.Dispose();
        return joined;
    }
}
