using SecureCompute.Client.Charts;

namespace SecureCompute.Client.Tests.Charts;

public sealed class LossChartTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-chart-").FullName;

    [Fact]
    public void WritesAPngOfTheChartSize()
    {
        string path = Path.Combine(folder, "loss.png");
        LossChart.Write(path, new[] { 0.69, 0.52, 0.41 }, new[] { 0.68, 0.5, 0.4 });
        Assert.True(File.Exists(path));
        byte[] png = File.ReadAllBytes(path);
        Assert.Equal((EpochChart.Width, EpochChart.Height), PngFile.Size(png));
        // Both series are drawn in their colours (an empty or blank render has none of either).
        Assert.True(PngFile.Pixels(png, 31, 119, 180) > 100);
        Assert.True(PngFile.Pixels(png, 255, 127, 14) > 100);
    }

    [Fact]
    public void WithoutAPlaintextBaselineAndWithAFlatCurve()
    {
        Assert.Equal((EpochChart.Width, EpochChart.Height), PngFile.Size(LossChart.Render(new[] { 0.3, 0.3 }, Array.Empty<double>())));
        Assert.Equal((EpochChart.Width, EpochChart.Height), PngFile.Size(LossChart.Render(new[] { 0.3 }, Array.Empty<double>())));
        Assert.Throws<ArgumentException>(() => LossChart.Render(Array.Empty<double>(), new[] { 0.3 }));
    }

    [Fact]
    public void ASecondWriteReplacesTheFileWhole()
    {
        string path = Path.Combine(folder, "loss.png");
        LossChart.Write(path, new[] { 0.7, 0.6 }, Array.Empty<double>());
        byte[] first = File.ReadAllBytes(path);
        LossChart.Write(path, new[] { 0.7, 0.5, 0.3 }, new[] { 0.7, 0.5, 0.3 });
        byte[] second = File.ReadAllBytes(path);
        Assert.NotEqual(first, second);
        Assert.Equal(LossChart.Render(new[] { 0.7, 0.5, 0.3 }, new[] { 0.7, 0.5, 0.3 }), second);
        Assert.Equal(new[] { path }, Directory.GetFiles(folder));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
