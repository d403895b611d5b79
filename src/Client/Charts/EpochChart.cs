using ScottPlot;

namespace SecureCompute.Client.Charts;

/// <summary>
/// What the per-epoch charts share: the image size, an epoch axis with whole-number ticks, one series per curve, and
/// the PNG rendering (ScottPlot on SkiaSharp; on Linux SkiaSharp's native assets without fontconfig, and text in the
/// embedded <see cref="ChartFont"/> so that hosts without fonts draw it too).
/// </summary>
internal static class EpochChart
{
    /// <summary>The width of every chart, in pixels.</summary>
    public const int Width = 720;

    /// <summary>The height of every chart, in pixels.</summary>
    public const int Height = 440;

    /// <summary>The colour of the first series (the secure model, or training accuracy).</summary>
    public static readonly Color First = new(31, 119, 180);

    /// <summary>The colour of the second series (the plaintext baseline, or held-out accuracy).</summary>
    public static readonly Color Second = new(255, 127, 14);

    /// <summary>A plot titled <paramref name="title"/> with the epoch axis and <paramref name="yLabel"/> on the y axis.</summary>
    public static Plot Create(string title, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(ChartFont.Ensure());
        plot.Title(title);
        plot.Axes.Title.Label.Font = Fonts.GetTypeface(ChartFont.Name, bold: true, italic: false);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    /// <summary>Adds <paramref name="values"/> (epoch 1 first) as a line with markers; nothing when it is empty.</summary>
    public static void AddSeries(Plot plot, IReadOnlyList<double> values, string label, Color colour)
    {
        if (values.Count == 0)
        {
            return;
        }
        double[] epochs = Enumerable.Range(1, values.Count).Select(e => (double)e).ToArray();
        var series = plot.Add.Scatter(epochs, values.ToArray(), colour);
        series.LegendText = label;
        series.LineWidth = 2;
        series.MarkerSize = 6;
    }

    /// <summary>Sets the epoch axis to span <paramref name="epochs"/> epochs with half an epoch either side.</summary>
    public static void SetEpochs(Plot plot, int epochs) => plot.Axes.SetLimitsX(0.5, epochs + 0.5);

    /// <summary>Renders <paramref name="plot"/> as PNG bytes of <see cref="Width"/> by <see cref="Height"/> pixels.</summary>
    public static byte[] Png(Plot plot) => plot.GetImageBytes(Width, Height, ImageFormat.Png);
}
