namespace SecureCompute.Client.Charts;

/// <summary>
/// The demo's loss curve: per-epoch loss of the secure model and of the plaintext baseline on shared axes, drawn into
/// an RGB raster with a small built-in pixel font (no graphics library or native dependency), saved as PNG.
/// </summary>
internal sealed class LossChart
{
    private const int Width = 720;
    private const int Height = 440;
    private const int Left = 90;
    private const int Right = 30;
    private const int Top = 50;
    private const int Bottom = 60;

    private static readonly (byte R, byte G, byte B) Secure = (31, 119, 180);
    private static readonly (byte R, byte G, byte B) Plaintext = (255, 127, 14);
    private static readonly (byte R, byte G, byte B) Axis = (60, 60, 60);
    private static readonly (byte R, byte G, byte B) Grid = (225, 225, 225);

    private readonly byte[] rgb = Enumerable.Repeat((byte)255, Width * Height * 3).ToArray();

    /// <summary>Draws both curves (the plaintext one may be empty: nobody holds all the data) and writes the PNG to <paramref name="path"/>.</summary>
    public static void Write(string path, double[] secure, double[] plaintext)
    {
        var chart = new LossChart();
        chart.Draw(secure, plaintext);
        using FileStream file = File.Create(path);
        PngWriter.Write(file, Width, Height, chart.rgb);
    }

    private void Draw(double[] secure, double[] plaintext)
    {
        int epochs = Math.Max(secure.Length, plaintext.Length);
        double low = secure.Concat(plaintext).Min(), high = secure.Concat(plaintext).Max();
        if (high - low < 1e-12)
        {
            high = low + 1e-3;
        }
        double pad = (high - low) * 0.05;
        low = Math.Max(0, low - pad);
        high += pad;
        int plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        int X(double epoch) => Left + (int)Math.Round(epochs <= 1 ? plotW / 2.0 : (epoch - 1) / (epochs - 1) * plotW);
        int Y(double loss) => Top + plotH - (int)Math.Round((loss - low) / (high - low) * plotH);

        for (int k = 0; k <= 4; k++)
        {
            double value = low + (high - low) * k / 4;
            Line(Left, Y(value), Left + plotW, Y(value), Grid, 1);
            Text(value.ToString("F4", System.Globalization.CultureInfo.InvariantCulture), 8, Y(value) - 5, Axis, 2);
        }
        for (int e = 1; e <= epochs; e++)
        {
            Text(e.ToString(System.Globalization.CultureInfo.InvariantCulture), X(e) - 3, Top + plotH + 10, Axis, 2);
        }
        Line(Left, Top, Left, Top + plotH, Axis, 1);
        Line(Left, Top + plotH, Left + plotW, Top + plotH, Axis, 1);
        Text("epoch", Left + plotW / 2 - 25, Height - 25, Axis, 2);
        Text("loss per epoch", Left, 15, Axis, 2);
        Series(plaintext, X, Y, Plaintext);
        Series(secure, X, Y, Secure);
        Line(Width - 250, 22, Width - 230, 22, Secure, 3);
        Text("secure", Width - 222, 16, Secure, 2);
        if (plaintext.Length > 0)
        {
            Line(Width - 140, 22, Width - 120, 22, Plaintext, 3);
            Text("plaintext", Width - 112, 16, Plaintext, 2);
        }
    }

    private void Series(double[] values, Func<double, int> x, Func<double, int> y, (byte, byte, byte) colour)
    {
        for (int i = 1; i < values.Length; i++)
        {
            Line(x(i), y(values[i - 1]), x(i + 1), y(values[i]), colour, 2);
        }
        for (int i = 0; i < values.Length; i++)
        {
            Dot(x(i + 1), y(values[i]), colour, 3);
        }
    }

    private void Line(int x0, int y0, int x1, int y1, (byte, byte, byte) colour, int thickness)
    {
        int steps = Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0));
        for (int s = 0; s <= steps; s++)
        {
            double t = steps == 0 ? 0 : s / (double)steps;
            Dot((int)Math.Round(x0 + (x1 - x0) * t), (int)Math.Round(y0 + (y1 - y0) * t), colour, thickness);
        }
    }

    private void Dot(int cx, int cy, (byte R, byte G, byte B) colour, int size)
    {
        for (int dy = -(size / 2); dy <= (size - 1) / 2; dy++)
        {
            for (int dx = -(size / 2); dx <= (size - 1) / 2; dx++)
            {
                int x = cx + dx, y = cy + dy;
                if (x >= 0 && x < Width && y >= 0 && y < Height)
                {
                    int o = (y * Width + x) * 3;
                    rgb[o] = colour.R;
                    rgb[o + 1] = colour.G;
                    rgb[o + 2] = colour.B;
                }
            }
        }
    }

    private void Text(string text, int x, int y, (byte, byte, byte) colour, int scale)
    {
        foreach (char c in text)
        {
            if (PixelFont.Glyphs.TryGetValue(char.ToLowerInvariant(c), out string[]? rows))
            {
                for (int r = 0; r < rows.Length; r++)
                {
                    for (int col = 0; col < rows[r].Length; col++)
                    {
                        if (rows[r][col] == '#')
                        {
                            for (int sy = 0; sy < scale; sy++)
                            {
                                for (int sx = 0; sx < scale; sx++)
                                {
                                    Dot(x + col * scale + sx, y + r * scale + sy, colour, 1);
                                }
                            }
                        }
                    }
                }
            }
            x += 4 * scale;
        }
    }
}
