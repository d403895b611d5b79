using SecureCompute.Client.Charts;

namespace SecureCompute.Client.Tests.Charts;

public sealed class AccuracyChartTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-chart-").FullName;

    [Fact]
    public void WritesAPngOfTheChartSize()
    {
        string path = Path.Combine(folder, "accuracy.png");
        AccuracyChart.Write(path, new[] { 0.5, 0.7, 0.8 }, new[] { 0.45, 0.6, 0.72 }, "digits: accuracy per epoch");
        Assert.True(File.Exists(path));
        byte[] png = File.ReadAllBytes(path);
        Assert.Equal((EpochChart.Width, EpochChart.Height), PngFile.Size(png));
        // Both series are drawn in their colours (an empty or blank render has none of either).
        Assert.True(PngFile.Pixels(png, 31, 119, 180) > 100);
        Assert.True(PngFile.Pixels(png, 255, 127, 14) > 100);
    }

    [Fact]
    public void HeldOutIsOptional()
    {
        byte[] withNull = AccuracyChart.Render(new[] { 0.9 }, null, "one epoch");
        byte[] withEmpty = AccuracyChart.Render(new[] { 0.9 }, Array.Empty<double>(), "one epoch");
        Assert.Equal((EpochChart.Width, EpochChart.Height), PngFile.Size(withNull));
        Assert.Equal(withNull, withEmpty);
        Assert.Throws<ArgumentException>(() => AccuracyChart.Render(Array.Empty<double>(), null, "none"));
    }

    /// <summary>A final accuracy is drawn at the last epoch, over the curves, in their colours.</summary>
    [Fact]
    public void FinalAccuracyIsMarked()
    {
        double[] train = { 0.5, 0.7, 0.8 }, heldOut = { 0.45, 0.6, 0.72 };
        byte[] without = AccuracyChart.Render(train, heldOut, "digits", null, "plaintext");
        byte[] with = AccuracyChart.Render(train, heldOut, "digits", new FinalAccuracy("secure (final)", 0.3, 0.2), "plaintext");
        byte[] trainOnly = AccuracyChart.Render(train, null, "digits", new FinalAccuracy("secure (final)", 0.3, null), "plaintext");
        Assert.Equal((EpochChart.Width, EpochChart.Height), PngFile.Size(with));
        Assert.Equal((EpochChart.Width, EpochChart.Height), PngFile.Size(trainOnly));
        Assert.NotEqual(without, with);
        // Marks far below both curves add pixels of both colours.
        Assert.True(PngFile.Pixels(with, 31, 119, 180) > PngFile.Pixels(without, 31, 119, 180));
        Assert.True(PngFile.Pixels(with, 255, 127, 14) > PngFile.Pixels(without, 255, 127, 14));
    }

    [Fact]
    public void ASecondWriteReplacesTheFileWhole()
    {
        string path = Path.Combine(folder, "accuracy.png");
        AccuracyChart.Write(path, new[] { 0.5, 0.6 }, null, "first");
        byte[] first = File.ReadAllBytes(path);
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        AccuracyChart.Write(path, new[] { 0.1, 0.2, 0.3, 0.9 }, new[] { 0.1, 0.1, 0.2, 0.8 }, "second");
        byte[] second = File.ReadAllBytes(path);
        Assert.NotEqual(first, second);
        Assert.Equal(AccuracyChart.Render(new[] { 0.1, 0.2, 0.3, 0.9 }, new[] { 0.1, 0.1, 0.2, 0.8 }, "second"), second);
        // A reader that opened the first file still reads all of it: the second was renamed over it, not written into it.
        using var copy = new MemoryStream();
        reader.CopyTo(copy);
        Assert.Equal(first, copy.ToArray());
        Assert.Equal(new[] { path }, Directory.GetFiles(folder));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
