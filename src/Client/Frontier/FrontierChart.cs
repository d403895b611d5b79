using ScottPlot;
using SecureCompute.Client.Charts;
using SecureCompute.Client.Output;

namespace SecureCompute.Client.Frontier;

/// <summary>The frontier as a chart: held-out figure against ε (log axis), mean ± one standard deviation over seeds.</summary>
/// <remarks>Labels spell out "epsilon" and "delta": the embedded chart font has no Greek letters.</remarks>
internal static class FrontierChart
{
    /// <summary>Draws the rows and writes the PNG to <paramref name="path"/>, replacing any earlier file whole.</summary>
    public static void Write(string path, IReadOnlyList<FrontierRow> rows, SeedSummary nonPrivate, string metric, string title)
    {
        using var plot = new Plot();
        plot.Font.Set(ChartFont.Ensure());
        plot.Title(title);
        plot.XLabel("epsilon (log scale)");
        plot.YLabel($"held-out {metric}");
        void Series(IReadOnlyList<FrontierRow> group, Func<FrontierRow, SeedSummary> of, string label, Color colour, double offset)
        {
            double[] xs = group.Select(r => Math.Log10(r.Epsilon) + offset).ToArray();
            double[] means = group.Select(r => of(r).Mean).ToArray();
            var series = plot.Add.Scatter(xs, means, colour);
            series.LegendText = label;
            series.LineWidth = 2;
            series.MarkerSize = 7;
            var bars = plot.Add.ErrorBar(xs, means, group.Select(r => of(r).Std).ToArray());
            bars.Color = colour;
        }
        // One pair of series per mechanism: the secure model and its twin, offset a little so their bars stay apart.
        Color[][] palette = [[EpochChart.First, EpochChart.Second], [new Color(148, 103, 189), new Color(214, 39, 40)]];
        var groups = rows.GroupBy(r => r.Mechanism).ToArray();
        for (int g = 0; g < groups.Length; g++)
        {
            FrontierRow[] group = groups[g].ToArray();
            string name = group[0].Mechanism == "output" ? "output perturbation" : "DP-SGD";
            Color[] colours = palette[g % palette.Length];
            Series(group, r => r.Secure, $"{name}: secure (MPC)", colours[0], -0.01 - 0.02 * g);
            Series(group, r => r.Plaintext, $"{name}: plaintext twin (float64)", colours[1], 0.01 + 0.02 * g);
        }
        var line = plot.Add.HorizontalLine(nonPrivate.Mean, 2, new Color(44, 160, 44), LinePattern.Dashed);
        line.LegendText = "non-private (float64)";
        var ticks = rows.DistinctBy(r => r.Epsilon).Select(r => new Tick(Math.Log10(r.Epsilon), r.Epsilon.ToString("G3", System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.ShowLegend(metric == "mse" ? Alignment.UpperRight : Alignment.LowerRight);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(EpochChart.Width, EpochChart.Height, ImageFormat.Png));
    }
}
