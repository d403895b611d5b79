namespace SecureCompute.Learning.Programs;

/// <summary>Per-feature mean and standard deviation from pooled sums, and the standardisation they define.</summary>
/// <param name="Mean">Per-feature mean.</param>
/// <param name="StandardDeviation">Per-feature standard deviation (1 for a constant column, which then becomes 0).</param>
public sealed record Standardiser(double[] Mean, double[] StandardDeviation)
{
    /// <summary>From Σx and Σx² per feature over <paramref name="count"/> rows.</summary>
    public static Standardiser FromSums(long count, IReadOnlyList<double> sums, IReadOnlyList<double> squares)
    {
        var mean = sums.Select(s => s / count).ToArray();
        var sd = squares.Select((q, i) =>
        {
            double variance = Math.Max(0, q / count - mean[i] * mean[i]);
            return variance > 1e-12 ? Math.Sqrt(variance) : 1.0;
        }).ToArray();
        return new Standardiser(mean, sd);
    }

    /// <summary>Σx (first d values) then Σx² (next d) of <paramref name="rows"/>.</summary>
    public static double[] Sums(PartyRows rows)
    {
        int d = rows.Columns;
        var values = new double[2 * d];
        for (int r = 0; r < rows.Rows; r++)
        {
            for (int c = 0; c < d; c++)
            {
                double v = rows.Features[r * d + c];
                values[c] += v;
                values[d + c] += v * v;
            }
        }
        return values;
    }

    /// <summary>
    /// The most a z-score can reach over the <paramref name="rows"/> rows its mean and (population) standard deviation
    /// come from: √(n − 1), since Σz = 0 and Σz² = n. A public bound, as the row count is.
    /// </summary>
    public static double ZScoreBound(long rows) => Math.Sqrt(Math.Max(0, rows - 1));

    /// <summary>The standardised features of <paramref name="rows"/>, row-major; with <paramref name="bound"/>, each
    /// clamped to ±bound (for the rows the statistics came from a no-op but for floating-point rounding, which it keeps
    /// from breaking the bound a secret program relies on).</summary>
    /// <remarks>With <paramref name="rowNorm"/>, each row is then scaled down to L2 norm at most rowNorm (output
    /// perturbation's Lipschitz bound): a function of the row and public numbers, computed by the row's owner.</remarks>
    public double[] Apply(PartyRows rows, double? bound = null, double? rowNorm = null)
    {
        int d = rows.Columns;
        var result = new double[rows.Features.Length];
        for (int i = 0; i < result.Length; i++)
        {
            double z = (rows.Features[i] - Mean[i % d]) / StandardDeviation[i % d];
            result[i] = bound is { } b ? Math.Clamp(z, -b, b) : z;
        }
        if (rowNorm is { } r)
        {
            for (int start = 0; start < result.Length; start += d)
            {
                double norm = Math.Sqrt(result.AsSpan(start, d).ToArray().Sum(v => v * v));
                if (norm > r)
                {
                    // Scaled a little inside r, so that rounding never lands a row outside it.
                    double scale = r / norm * (1 - 1e-12);
                    for (int j = start; j < start + d; j++)
                    {
                        result[j] *= scale;
                    }
                }
            }
        }
        return result;
    }

    /// <summary>‖(x_i, 1)‖ of each row of <paramref name="values"/> (row-major, <paramref name="columns"/> per row): the
    /// norm a one-output linear model's per-example gradient scales with, computed by the row's owner.</summary>
    public static double[] RowNorms(double[] values, int columns)
    {
        var norms = new double[values.Length / columns];
        for (int r = 0; r < norms.Length; r++)
        {
            double sum = 1;
            for (int j = r * columns; j < (r + 1) * columns; j++)
            {
                sum += values[j] * values[j];
            }
            norms[r] = Math.Sqrt(sum);
        }
        return norms;
    }
}
