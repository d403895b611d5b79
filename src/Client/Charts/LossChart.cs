using SecureCompute.Client.Output;

namespace SecureCompute.Client.Charts;

/// <summary>
/// The demo's loss curve: per-epoch loss of the secure model and of the plaintext baseline on shared axes, saved as
/// a PNG of <see cref="EpochChart.Width"/> by <see cref="EpochChart.Height"/> pixels.
/// </summary>
internal static class LossChart
{
    /// <summary>Draws both curves (the plaintext one may be empty: nobody holds all the data) and writes the PNG to <paramref name="path"/>.</summary>
    public static void Write(string path, double[] secure, double[] plaintext) => AtomicFile.WriteAllBytes(path, Render(secure, plaintext));

    /// <summary>The PNG bytes of the chart <see cref="Write"/> saves.</summary>
    public static byte[] Render(double[] secure, double[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(secure);
        ArgumentNullException.ThrowIfNull(plaintext);
        if (secure.Length == 0)
        {
            throw new ArgumentException("The loss chart needs the secure model's loss of at least one epoch.", nameof(secure));
        }
        using var plot = EpochChart.Create("loss per epoch", "loss");
        EpochChart.AddSeries(plot, plaintext, "plaintext", EpochChart.Second);
        EpochChart.AddSeries(plot, secure, "secure", EpochChart.First);
        EpochChart.SetEpochs(plot, Math.Max(secure.Length, plaintext.Length));
        // Loss falls, so the upper right is where the curves are not.
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        return EpochChart.Png(plot);
    }
}
