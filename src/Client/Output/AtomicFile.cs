using System.Text;

namespace SecureCompute.Client.Output;

/// <summary>
/// Writes a client output file whole or not at all: the content goes to a temporary file in the same folder, is
/// flushed to disk, and is then renamed over the target, so a reader sees the old file or the new one, never a part.
/// </summary>
/// <remarks>
/// The temporary file is in the target's folder because a rename is atomic only within one file system. On any
/// failure it is deleted and the target is left as it was.
/// </remarks>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte order mark) to <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteAllBytes(path, Utf8.GetBytes(text));
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes what <paramref name="write"/> puts into the stream to <paramref name="path"/>; if it throws, nothing changes.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string target = Path.GetFullPath(path);
        string temporary = TemporaryBeside(target);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            // After the rename there is nothing left to delete; after a failure this removes the partial file.
            File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte order mark) to <paramref name="path"/> without blocking on the disk.</summary>
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        string target = Path.GetFullPath(path);
        string temporary = TemporaryBeside(target);
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await stream.WriteAsync(Utf8.GetBytes(text), cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A fresh hidden name in the folder of <paramref name="target"/>, ending in <c>.tmp</c>.</summary>
    private static string TemporaryBeside(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
}
