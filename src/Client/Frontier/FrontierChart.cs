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
        double[] x = rows.Select(r => Math.Log10(r.Epsilon)).ToArray();
        void Series(Func<FrontierRow, SeedSummary> of, string label, Color colour, double offset)
        {
            double[] xs = x.Select(v => v + offset).ToArray();
            var series = plot.Add.Scatter(xs, rows.Select(r => of(r).Mean).ToArray(), colour);
            series.LegendText = label;
            series.LineWidth = 2;
            series.MarkerSize = 7;
            var bars = plot.Add.ErrorBar(xs, rows.Select(r => of(r).Mean).ToArray(), rows.Select(r => of(r).Std).ToArray());
            bars.Color = colour;
        }
        Series(r => r.Secure, "secure DP (MPC)", EpochChart.First, -0.01);
        Series(r => r.Plaintext, "plaintext DP twin (float64)", EpochChart.Second, 0.01);
        var line = plot.Add.HorizontalLine(nonPrivate.Mean, 2, new Color(44, 160, 44), LinePattern.Dashed);
        line.LegendText = "non-private (float64)";
        var ticks = rows.Select(r => new Tick(Math.Log10(r.Epsilon), r.Epsilon.ToString("G3", System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.ShowLegend(metric == "mse" ? Alignment.UpperRight : Alignment.LowerRight);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(EpochChart.Width, EpochChart.Height, ImageFormat.Png));
    }
}
