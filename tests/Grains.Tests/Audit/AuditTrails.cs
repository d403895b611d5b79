using System.Security.Cryptography;
using SecureCompute.Grains.Audit;
using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Tests.Audit;

/// <summary>Random audit records and exported trails for the tests (fresh content every run).</summary>
internal static class AuditTrails
{
    /// <summary>A random record: a random kind, a session or none, up to five fields of public-looking metadata.</summary>
    public static AuditRecord RandomRecord()
    {
        AuditEventKind[] kinds = Enum.GetValues<AuditEventKind>();
        var fields = Enumerable.Range(0, Random.Shared.Next(0, 6))
            .Select(i => ($"f{i}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}", Random.Shared.Next(0, 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();
        string? session = Random.Shared.Next(3) == 0 ? null : $"session-{Guid.NewGuid():N}";
        return new AuditRecord(kinds[Random.Shared.Next(kinds.Length)], session, AuditFields.Of(fields));
    }

    /// <summary>An export of <paramref name="count"/> random records of <paramref name="party"/>, signed by <paramref name="signer"/>.</summary>
    public static string[] Export(string party, AuditSigner signer, int count, out AuditRecord[] records)
    {
        var chain = new AuditChain(party, signer);
        records = Enumerable.Range(0, count).Select(_ => RandomRecord()).ToArray();
        DateTimeOffset time = DateTimeOffset.UtcNow;
        foreach (AuditRecord record in records)
        {
            time = time.AddMilliseconds(Random.Shared.Next(1, 1000));
            chain.Append(record, time);
        }
        return chain.Export(time.AddSeconds(1));
    }

    /// <summary>A signer with a fresh local key.</summary>
    public static AuditSigner LocalSigner() => AuditSigner.ForKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
}
