using SecureCompute.Mpc.Approximations;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Secret;

/// <summary>Non-linear functions written against <see cref="SecretTensor"/>; each takes its input at any scale.</summary>
public static class SecretFunctions
{
    /// <summary>σ(x) by the degree-15 Chebyshev series on [−8, 8]; an untruncated input's extra bits fold into the map (18 rounds).</summary>
    public static SecretTensor Sigmoid(this SecretTensor x) => x.Approximate(ChebyshevApproximation.Sigmoid);

    /// <summary>exp(x) for x ≤ 0 (clipped to [−16, 0]): Chebyshev series, 18 rounds.</summary>
    public static SecretTensor ExpNonPositive(this SecretTensor x) => x.Approximate(ChebyshevApproximation.ExpNonPositive);

    /// <summary>A clipped Chebyshev approximation at f bits (<see cref="Simulation.LocalMpc.Approximate"/>).</summary>
    public static SecretTensor Approximate(this SecretTensor x, ChebyshevApproximation approximation)
    {
        int f = x.Engine.Format.FractionalBits;
        if (x.FractionalBits < f)
        {
            using SecretTensor lifted = x.At(f);
            return lifted.Approximate(approximation);
        }
        return x.With(x.Engine.Approximate(x.Shares, approximation, x.FractionalBits - f), f);
    }

    /// <summary>1/x for x in [2^-8, 2^15) (<see cref="Simulation.LocalMpc.Reciprocal"/>), 20 rounds (21 from a wide input).</summary>
    public static SecretTensor Reciprocal(this SecretTensor x)
    {
        using SecretTensor normal = x.Normalised();
        return x.With(x.Engine.Reciprocal(normal.Shares), x.Engine.Format.FractionalBits);
    }

    /// <summary>[x &lt; 0] as integers 0/1 (scale 0), 8 rounds; the sign does not depend on the scale.</summary>
    public static SecretTensor IsNegative(this SecretTensor x) => x.With(x.Engine.LessThanZero(x.Shares), 0);

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

    /// <summary>Each row's maximum ([n, k] → [n, 1]) by a tournament: ⌈log2 k⌉ levels of 9 rounds.</summary>
    public static SecretTensor RowMax(this SecretTensor x)
    {
        SecretTensor current = x.Slice(1, 0, x.Shape[1]);
        while (current.Shape[1] > 1)
        {
            long k = current.Shape[1];
            long half = k / 2;
            using SecretTensor left = current.Slice(1, 0, half);
            using SecretTensor right = current.Slice(1, half, half);
            SecretTensor winners = left.Max(right);
            SecretTensor next = k % 2 == 0 ? winners : Join(winners, current.Slice(1, k - 1, 1));
            current.Dispose();
            current = next;
        }
        return current;
    }

    /// <summary>
    /// Softmax over each row: max-shift → exp → sum → reciprocal, the result at 2f bits.
    /// </summary>
    /// <remarks>
    /// Steps:
    /// 1. m = the row maximum (tournament, 9·⌈log2 k⌉ rounds); z = x − m ≤ 0 (local).
    /// 2. e = exp(z) (18 rounds); entries below e^-16 count as e^-16.
    /// 3. s = Σ e over the row (local), s ∈ [1, k]; r = 1/s (20 rounds).
    /// 4. p = e ⊙ r (1 round, left at 2f bits for the next product).
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
    /// One-hot [x_j = max_j x] per row, as integers (scale 0): the tournament maximum, then one sign. A tie marks every
    /// tied entry (with continuous inputs, ties are equal ring values and rare).
    /// </summary>
    public static SecretTensor ArgmaxOneHot(this SecretTensor x)
    {
        using SecretTensor max = x.RowMax();
        using SecretTensor spread = max.Expand(x.Shape);
        using SecretTensor gap = x - spread;   // ≤ 0, 0 at the maximum
        using SecretTensor below = gap.IsNegative();
        return OneMinus(below);
    }

    /// <summary>1 − b for integers b.</summary>
    private static SecretTensor OneMinus(SecretTensor bits)
    {
        using SecretTensor negated = -bits;
        return negated.With(negated.Shares.AddPublic(ones(1, ScalarType.Int64, bits.Engine.Device)), 0);
    }

    private static SecretTensor Join(SecretTensor a, SecretTensor b)
    {
        SecretTensor joined = SecretTensor.Concatenate(new[] { a, b }, 1);
        a.Dispose();
        b.Dispose();
        return joined;
    }
}
