using System.Buffers.Binary;
using SkiaSharp;

namespace SecureCompute.Client.Tests.Charts;

/// <summary>Reads what a chart test checks in a PNG: the signature and the IHDR width and height.</summary>
internal static class PngFile
{
    public static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Asserts the signature and an IHDR first chunk, and returns the image's size.</summary>
    public static (int Width, int Height) Size(byte[] png)
    {
        Assert.True(png.Length > 33, $"a PNG of {png.Length} bytes is too short");
        Assert.Equal(Signature, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    /// <summary>How many pixels of the decoded image have exactly the colour (<paramref name="r"/>, <paramref name="g"/>, <paramref name="b"/>).</summary>
    public static int Pixels(byte[] png, byte r, byte g, byte b)
    {
        using SKBitmap bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException("the PNG does not decode");
        int count = 0;
        foreach (SKColor pixel in bitmap.Pixels)
        {
            count += pixel.Red == r && pixel.Green == g && pixel.Blue == b ? 1 : 0;
        }
        return count;
    }
}
