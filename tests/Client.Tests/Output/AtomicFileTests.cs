using System.Text;
using SecureCompute.Client.Output;

namespace SecureCompute.Client.Tests.Output;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-atomic-").FullName;

    [Fact]
    public void AWriteThatThrowsMidwayLeavesTheOldFileAndNoTemporary()
    {
        string path = Path.Combine(folder, "report.json");
        AtomicFile.WriteAllText(path, "old content\n");
        var error = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(Encoding.UTF8.GetBytes("new content, the first half"));
            stream.Flush();
            throw new IOException("the disk is full");
        }));
        Assert.Equal("the disk is full", error.Message);
        Assert.Equal("old content\n", File.ReadAllText(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(folder));
    }

    [Fact]
    public void AFailedFirstWriteLeavesNoFileAtAll()
    {
        string path = Path.Combine(folder, "model.json");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException("serialization failed")));
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void ReplacesTheFileWholeAndKeepsTheBytes()
    {
        string path = Path.Combine(folder, "loss.png");
        byte[] first = { 0, 1, 2, 255 };
        AtomicFile.WriteAllBytes(path, first);
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        AtomicFile.WriteAllText(path, "é\n");
        // UTF-8 without a byte order mark, as File.WriteAllText writes.
        Assert.Equal(new byte[] { 0xC3, 0xA9, 0x0A }, File.ReadAllBytes(path));
        // A reader of the old file still reads all of it: the new one was renamed over it, not written into it.
        using var old = new MemoryStream();
        reader.CopyTo(old);
        Assert.Equal(first, old.ToArray());
        Assert.Equal(new[] { path }, Directory.GetFiles(folder));
    }

    [Fact]
    public async Task TheAsynchronousWriteIsAtomicToo()
    {
        string path = Path.Combine(folder, "audit.jsonl");
        await AtomicFile.WriteAllTextAsync(path, "a\nb\n");
        Assert.Equal("a\nb\n", File.ReadAllText(path));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAllTextAsync(path, "c\n", cancelled.Token));
        Assert.Equal("a\nb\n", File.ReadAllText(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(folder));
    }

    [Fact]
    public void AMissingFolderIsAnErrorAndCreatesNothing()
    {
        string path = Path.Combine(folder, "absent", "report.json");
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
