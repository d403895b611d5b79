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

    /// <summary>The standardised features of <paramref name="rows"/>, row-major.</summary>
    public double[] Apply(PartyRows rows)
    {
        int d = rows.Columns;
        var result = new double[rows.Features.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (rows.Features[i] - Mean[i % d]) / StandardDeviation[i % d];
        }
        return result;
    }
}
