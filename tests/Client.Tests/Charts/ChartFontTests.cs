using ScottPlot;
using SecureCompute.Client.Charts;
using SkiaSharp;

namespace SecureCompute.Client.Tests.Charts;

public sealed class ChartFontTests
{
    [Fact]
    public void TheEmbeddedTypefaceServesTheChartsFontName()
    {
        string name = ChartFont.Ensure();
        Assert.Equal(ChartFont.Name, ChartFont.Ensure());
        Assert.Single(Fonts.FontResolvers.OfType<ChartFont>());
        SKTypeface regular = Fonts.GetTypeface(name, bold: false, italic: false);
        SKTypeface bold = Fonts.GetTypeface(name, bold: true, italic: false);
        Assert.Equal("DejaVu Sans", regular.FamilyName);
        Assert.Equal("DejaVu Sans", bold.FamilyName);
        Assert.True(bold.FontWeight > regular.FontWeight);
        Assert.True(regular.ContainsGlyphs("loss per epoch 0123456789.-–é"));
    }

    [Fact]
    public void TheTitleIsDrawn()
    {
        double[] train = { 0.5, 0.6 };
        // With no usable font the two titles would draw as nothing and the images would be equal.
        Assert.NotEqual(AccuracyChart.Render(train, null, "first"), AccuracyChart.Render(train, null, "second"));
    }
}
