namespace SecureCompute.Client.Bench;

/// <summary>
/// A power law fitted to the scaling grid: log y = c + a·log(parties) + b·log(rows) by least squares over the points,
/// so a is the exponent in parties and b the one in rows (1: linear).
/// </summary>
/// <param name="Quantity">What y is (a <see cref="ScalingPoint"/> property's JSON name).</param>
/// <param name="PartiesExponent">a; null when the grid has one party count (or no point has the quantity).</param>
/// <param name="RowsExponent">b; null when the grid has one row count.</param>
internal sealed record ScalingFit(string Quantity, double? PartiesExponent, double? RowsExponent)
{
    /// <summary>Fits <paramref name="quantity"/>'s values (each positive) at their points (parties, rows).</summary>
    public static ScalingFit Of(string quantity, IReadOnlyList<(int Parties, int Rows, double Value)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var usable = points.Where(p => p.Value > 0 && double.IsFinite(p.Value)).ToArray();
        bool byParties = usable.Select(p => p.Parties).Distinct().Count() > 1;
        bool byRows = usable.Select(p => p.Rows).Distinct().Count() > 1;
        var columns = new List<Func<(int Parties, int Rows, double Value), double>> { _ => 1 };
        if (byParties)
        {
            columns.Add(p => Math.Log(p.Parties));
        }
        if (byRows)
        {
            columns.Add(p => Math.Log(p.Rows));
        }
        if (columns.Count == 1)
        {
            return new ScalingFit(quantity, null, null);
        }
        double[] solution = LeastSquares(usable.Select(p => columns.Select(c => c(p)).ToArray()).ToArray(), usable.Select(p => Math.Log(p.Value)).ToArray());
        return new ScalingFit(quantity, byParties ? solution[1] : null, byRows ? solution[^1] : null);
    }

    /// <summary>The x minimising |A·x − b|² (the normal equations AᵀA·x = Aᵀb, by Gaussian elimination with partial pivoting).</summary>
    internal static double[] LeastSquares(double[][] a, double[] b)
    {
        int n = a[0].Length;
        var m = new double[n, n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                m[i, j] = a.Sum(row => row[i] * row[j]);
            }
            m[i, n] = a.Select((row, r) => row[i] * b[r]).Sum();
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r, col]));
            for (int j = 0; j <= n; j++)
            {
                (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            }
            for (int r = 0; r < n; r++)
            {
                if (r != col)
                {
                    double factor = m[r, col] / m[col, col];
                    for (int j = col; j <= n; j++)
                    {
                        m[r, j] -= factor * m[col, j];
                    }
                }
            }
        }
        return Enumerable.Range(0, n).Select(i => m[i, n] / m[i, i]).ToArray();
    }
}
