namespace SecureCompute.Grains.Training;

/// <summary>Per-feature mean and standard deviation over all parties' rows: the aggregate statistics the session reveals.</summary>
/// <param name="Mean">Mean of each feature.</param>
/// <param name="StandardDeviation">Population standard deviation of each feature (1 where a feature is constant).</param>
public sealed record Standardisation(double[] Mean, double[] StandardDeviation)
{
    /// <summary>From the pooled count, Σx and Σx² per feature.</summary>
    public static Standardisation FromSums(long count, double[] sum, double[] sumOfSquares)
    {
        double[] mean = sum.Select(s => s / count).ToArray();
        double[] deviation = sumOfSquares.Select((q, i) =>
        {
            double variance = Math.Max(0, q / count - mean[i] * mean[i]);
            return variance > 1e-12 ? Math.Sqrt(variance) : 1.0;
        }).ToArray();
        return new Standardisation(mean, deviation);
    }

    /// <summary>Standardises row-major features in place of a copy.</summary>
    public double[] Apply(double[] features)
    {
        int d = Mean.Length;
        return features.Select((v, i) => (v - Mean[i % d]) / StandardDeviation[i % d]).ToArray();
    }
}
