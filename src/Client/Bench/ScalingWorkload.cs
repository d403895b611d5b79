using SecureCompute.Grains.Data;

namespace SecureCompute.Client.Bench;

/// <summary>
/// The rows of one point of the scaling grid: the default demo's breast-cancer rows, pooled in file order, and beyond
/// them synthetic rows of the same schema; split into contiguous blocks, one per party.
/// </summary>
/// <remarks>
/// Synthetic rows, from <see cref="Random"/> seeded with <see cref="Seed"/> (Box–Muller normals):
/// 1. A fixed public logistic model is drawn first: w*_j ~ N(0, 4/d) for each of the d features, no bias (the logit's
///    standard deviation is about 2, so labels are neither constant nor noise).
/// 2. Each row draws g_j ~ N(0, 1) per feature and has x_j = μ_j + σ_j·g_j, where μ_j and σ_j are the feature's mean
///    and standard deviation over the data's rows (so the rows look like the data to the standardisation).
/// 3. Its label is 1 with probability σ(Σ_j w*_j·g_j), one uniform draw per row.
/// The synthetic rows of a smaller point are the first rows of a larger one's; a point of at most
/// <see cref="DataRows"/> rows takes the data's first rows and no synthetic one.
/// </remarks>
internal sealed class ScalingWorkload
{
    /// <summary>The rows the data holds (the default demo's breast-cancer rows).</summary>
    public const int DataRows = 569;

    /// <summary>Seeds the synthetic rows and the public model that labels them.</summary>
    public const int Seed = 1;

    private readonly PartyDataset[] data;
    private readonly int features;
    private readonly double[] mean;
    private readonly double[] deviation;
    private readonly List<double> syntheticFeatures = new();
    private readonly List<double> syntheticLabels = new();
    private readonly double[] model;
    private readonly Random random = new(Seed);

    /// <summary>A workload on <paramref name="data"/> (same schema in every file).</summary>
    public ScalingWorkload(IReadOnlyList<PartyDataset> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        this.data = data.ToArray();
        features = this.data[0].Columns;
        int rows = this.data.Sum(p => p.Rows);
        mean = new double[features];
        deviation = new double[features];
        for (int c = 0; c < features; c++)
        {
            double sum = 0, squares = 0;
            foreach (PartyDataset p in this.data)
            {
                for (int r = 0; r < p.Rows; r++)
                {
                    double v = p.Features[r * features + c];
                    sum += v;
                    squares += v * v;
                }
            }
            mean[c] = sum / rows;
            deviation[c] = Math.Sqrt(Math.Max(0, squares / rows - mean[c] * mean[c]));
        }
        model = Enumerable.Range(0, features).Select(_ => Normal() * 2 / Math.Sqrt(features)).ToArray();
    }

    /// <summary>How many of a point's <paramref name="rows"/> are synthetic.</summary>
    public int SyntheticRows(int rows) => Math.Max(0, rows - data.Sum(p => p.Rows));

    /// <summary>The first <paramref name="rows"/> rows (data, then synthetic) in <paramref name="parties"/> contiguous blocks.</summary>
    public PartyDataset[] Split(int rows, int parties)
    {
        if (rows < parties || parties < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"{rows} rows cannot give each of {parties} parties a row.");
        }
        double[] x = data.SelectMany(p => p.Features).ToArray();
        double[] y = data.SelectMany(p => p.Labels).ToArray();
        int extra = SyntheticRows(rows);
        Generate(extra);
        x = x.Take(Math.Min(rows, y.Length) * features).Concat(syntheticFeatures.Take(extra * features)).ToArray();
        y = y.Take(Math.Min(rows, y.Length)).Concat(syntheticLabels.Take(extra)).ToArray();
        PartyDataset schema = data[0];
        return Enumerable.Range(0, parties).Select(i =>
        {
            int start = rows * i / parties, end = rows * (i + 1) / parties;
            return new PartyDataset($"scaling grid: {rows} rows, {extra} synthetic (party {i + 1} of {parties})", schema.FeatureNames, schema.LabelName,
                x[(start * features)..(end * features)], y[start..end]);
        }).ToArray();
    }

    /// <summary>Draws synthetic rows until there are <paramref name="rows"/> of them.</summary>
    private void Generate(int rows)
    {
        var g = new double[features];
        while (syntheticLabels.Count < rows)
        {
            double logit = 0;
            for (int c = 0; c < features; c++)
            {
                g[c] = Normal();
                syntheticFeatures.Add(mean[c] + deviation[c] * g[c]);
                logit += model[c] * g[c];
            }
            syntheticLabels.Add(random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0);
        }
    }

    /// <summary>A standard normal draw (Box–Muller, one of the pair).</summary>
    private double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
