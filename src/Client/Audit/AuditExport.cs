using SecureCompute.Client.Output;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Client.Audit;

/// <summary>Writes a party's exported audit trail to a file, whole or not at all.</summary>
internal static class AuditExport
{
    /// <summary>
    /// Exports <paramref name="party"/>'s trail with <paramref name="credential"/> and writes it to
    /// <paramref name="outFile"/> (one line each, '\n'-terminated) with <see cref="AtomicFile"/>: a failure leaves no
    /// half-written file. Returns the number of entries.
    /// </summary>
    public static async Task<long> WriteAsync(IGrainFactory grains, string party, ClientCredential credential, string outFile)
    {
        string[] lines = await grains.GetGrain<IAuditLogGrain>(party).ExportAsync(credential);
        string path = Path.GetFullPath(outFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await AtomicFile.WriteAllTextAsync(path, string.Concat(lines.Select(l => l + "\n")));
        return Math.Max(0, lines.Length - 2);
    }
}
