using SecureCompute.Client.Output;

namespace SecureCompute.Client.Charts;

/// <summary>
/// Per-epoch accuracy on the training rows and, when some were held out, on the held-out rows, on a y axis from 0 to
/// 1, saved as a PNG of <see cref="EpochChart.Width"/> by <see cref="EpochChart.Height"/> pixels.
/// </summary>
internal static class AccuracyChart
{
    /// <summary>Draws the series (<paramref name="heldOut"/> may be null or empty) and writes the PNG to <paramref name="path"/>, replacing any earlier file whole.</summary>
    public static void Write(string path, IReadOnlyList<double> train, IReadOnlyList<double>? heldOut, string title) =>
        AtomicFile.WriteAllBytes(path, Render(train, heldOut, title));

    /// <summary>The PNG bytes of the chart <see cref="Write"/> saves.</summary>
    public static byte[] Render(IReadOnlyList<double> train, IReadOnlyList<double>? heldOut, string title)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(title);
        if (train.Count == 0)
        {
            throw new ArgumentException("The accuracy chart needs the training accuracy of at least one epoch.", nameof(train));
        }
        heldOut ??= Array.Empty<double>();
        using var plot = EpochChart.Create(title, "accuracy");
        EpochChart.AddSeries(plot, train, "training", EpochChart.First);
        EpochChart.AddSeries(plot, heldOut, "held out", EpochChart.Second);
        EpochChart.SetEpochs(plot, Math.Max(train.Count, heldOut.Count));
        plot.Axes.SetLimitsY(0, 1);
        // Accuracy rises, so the lower right is where the curves are not.
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        return EpochChart.Png(plot);
    }
}
