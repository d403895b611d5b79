using SecureCompute.Client.Output;

namespace SecureCompute.Client.Charts;

/// <summary>
/// Per-epoch accuracy on the training rows and, when some were held out, on the held-out rows, on a y axis from 0 to
/// 1 — and, optionally, a model's final accuracy marked at the last epoch (<see cref="FinalAccuracy"/>) — saved as a PNG
/// of <see cref="EpochChart.Width"/> by <see cref="EpochChart.Height"/> pixels.
/// </summary>
internal static class AccuracyChart
{
    /// <summary>Draws the series (<paramref name="heldOut"/> may be null or empty) and writes the PNG to <paramref name="path"/>, replacing any earlier file whole.</summary>
    public static void Write(string path, IReadOnlyList<double> train, IReadOnlyList<double>? heldOut, string title, FinalAccuracy? final = null) =>
        AtomicFile.WriteAllBytes(path, Render(train, heldOut, title, final));

    /// <summary>The PNG bytes of the chart <see cref="Write"/> saves; the series' legend names say <paramref name="seriesOf"/> when given (e.g. "plaintext").</summary>
    public static byte[] Render(IReadOnlyList<double> train, IReadOnlyList<double>? heldOut, string title, FinalAccuracy? final = null, string? seriesOf = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(title);
        if (train.Count == 0)
        {
            throw new ArgumentException("The accuracy chart needs the training accuracy of at least one epoch.", nameof(train));
        }
        heldOut ??= Array.Empty<double>();
        using var plot = EpochChart.Create(title, "accuracy");
        string of = seriesOf is null ? "" : $" ({seriesOf})";
        EpochChart.AddSeries(plot, train, "training" + of, EpochChart.First);
        EpochChart.AddSeries(plot, heldOut, "held out" + of, EpochChart.Second);
        int epochs = Math.Max(train.Count, heldOut.Count);
        if (final is not null)
        {
            // Both marks are one legend entry: a hollow diamond, outlined in the colour of the curve it belongs to.
            double[] values = final.HeldOut is { } held ? new[] { final.Train, held } : new[] { final.Train };
            for (int i = 0; i < values.Length; i++)
            {
                var mark = plot.Add.Marker(epochs, values[i], ScottPlot.MarkerShape.OpenDiamond, 16, i == 0 ? EpochChart.First : EpochChart.Second);
                mark.MarkerLineWidth = 3;
                mark.LegendText = i == 0 ? final.Label : "";
            }
        }
        EpochChart.SetEpochs(plot, epochs);
        plot.Axes.SetLimitsY(0, 1);
        // Accuracy rises, so the lower right is where the curves are not.
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        return EpochChart.Png(plot);
    }
}
