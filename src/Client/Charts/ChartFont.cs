using ScottPlot;
using SkiaSharp;

namespace SecureCompute.Client.Charts;

/// <summary>
/// The charts' typeface, DejaVu Sans regular and bold, embedded in this assembly (see <c>Charts/Fonts</c>) and served
/// to ScottPlot under <see cref="Name"/>.
/// </summary>
/// <remarks>
/// SkiaSharp's Linux assets without dependencies find fonts only in the host's font folder; a host without fonts
/// (a container image) would draw charts with no text at all.
/// </remarks>
internal sealed class ChartFont : IFontResolver
{
    /// <summary>The font name that plots ask for.</summary>
    public const string Name = "SecureCompute Chart Sans";

    private static readonly Lazy<ChartFont> Instance = new(Register);

    private readonly SKTypeface regularFace = Load("DejaVuSans.ttf");
    private readonly SKTypeface boldFace = Load("DejaVuSans-Bold.ttf");

    private ChartFont()
    {
    }

    /// <summary>Registers the typeface with ScottPlot (once, ahead of the host's fonts) and returns <see cref="Name"/>.</summary>
    public static string Ensure()
    {
        _ = Instance.Value;
        return Name;
    }

    /// <summary>The typeface for <paramref name="fontName"/> when it is <see cref="Name"/> (bold from the semibold weight up); otherwise null.</summary>
    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
        fontName == Name ? (weight >= FontWeight.SemiBold ? boldFace : regularFace) : null;

    /// <summary>The typeface for <paramref name="fontName"/> when it is <see cref="Name"/>; otherwise null (no italic: the charts use none).</summary>
    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
        fontName == Name ? (bold ? boldFace : regularFace) : null;

    private static ChartFont Register()
    {
        var font = new ChartFont();
        lock (Fonts.FontResolvers)
        {
            Fonts.FontResolvers.Insert(0, font);
        }
        return font;
    }

    private static SKTypeface Load(string file)
    {
        string resource = $"SecureCompute.Client.Charts.Fonts.{file}";
        using Stream stream = typeof(ChartFont).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The client assembly lacks the embedded font resource '{resource}'.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"The embedded font resource '{resource}' is not a font SkiaSharp reads.");
    }
}
