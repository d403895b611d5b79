using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace SecureCompute.Client.Charts;

/// <summary>Encodes an 8-bit RGB raster as PNG: signature, IHDR, one zlib-compressed IDAT, IEND (RFC 2083).</summary>
internal static class PngWriter
{
    private static readonly byte[] Signature = { 137, 80, 78, 71, 13, 10, 26, 10 };

    /// <summary>Writes <paramref name="rgb"/> (row-major, 3 bytes per pixel) as a PNG to <paramref name="output"/>.</summary>
    public static void Write(Stream output, int width, int height, byte[] rgb)
    {
        if (rgb.Length != width * height * 3)
        {
            throw new ArgumentException($"A {width}×{height} RGB raster has {width * height * 3} bytes, not {rgb.Length}.", nameof(rgb));
        }
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;   // bits per channel
        header[9] = 2;   // colour type: truecolour
        Chunk(output, "IHDR", header);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0);   // filter: none
                zlib.Write(rgb, y * width * 3, width * 3);
            }
        }
        Chunk(output, "IDAT", compressed.ToArray());
        Chunk(output, "IEND", Array.Empty<byte>());
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        byte[] typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        output.Write(word);
    }
}
