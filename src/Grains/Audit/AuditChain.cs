using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Grains.Audit;

/// <summary>
/// A party's trail in memory: appends records as hash-chained, signed entries and exports the trail with a header and a
/// signed head (docs/audit.md).
/// </summary>
/// <remarks>
/// Steps of an append:
/// 1. seq is the number of entries so far; prev is the last entry's hash (64 zeros for the first).
/// 2. hash is the hex SHA-256 of the entry's canonical JSON without hash and sig.
/// 3. sig is the signer's signature of that digest.
/// </remarks>
public sealed class AuditChain
{
    private readonly List<AuditEntry> entries = new();
    private readonly AuditSigner signer;

    /// <summary>An empty trail of <paramref name="party"/>, signed by <paramref name="signer"/>.</summary>
    public AuditChain(string party, AuditSigner signer)
    {
        ArgumentException.ThrowIfNullOrEmpty(party);
        Party = party;
        this.signer = signer;
    }

    /// <summary>The party whose trail it is.</summary>
    public string Party { get; }

    /// <summary>The entries, in order.</summary>
    public IReadOnlyList<AuditEntry> Entries => entries;

    /// <summary>The last entry's hash, or 64 zeros for an empty trail.</summary>
    public string Last => entries.Count == 0 ? AuditJson.ZeroHash : entries[^1].Hash;

    /// <summary>
    /// The trail of stored entry lines, which must hold — each links, recomputes and is signed by
    /// <paramref name="storedSigner"/>'s key — and is then signed by <paramref name="signer"/> (re-signed when the
    /// silo's key changed; the hashes, and so the chain, stay as they were).
    /// </summary>
    /// <exception cref="InvalidDataException">A stored entry fails a check (the message gives its seq and the check).</exception>
    public static AuditChain Load(string party, AuditSigner signer, IReadOnlyList<string> lines, AuditPublicKey storedSigner, out int resigned)
    {
        var chain = new AuditChain(party, signer);
        string? previous = null;
        for (int i = 0; i < lines.Count; i++)
        {
            AuditEntry entry;
            try
            {
                entry = AuditEntry.Parse(lines[i]);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"Stored audit entry {i} of party '{party}' cannot be read: {e.Message}");
            }
            if (AuditVerifier.CheckEntry(entry, lines[i], party, i, previous ?? AuditJson.ZeroHash, storedSigner) is { } problem)
            {
                throw new InvalidDataException($"Stored audit entry {i} of party '{party}' fails verification: {problem}");
            }
            chain.entries.Add(entry);
            previous = entry.Hash;
        }
        resigned = chain.Resign();
        return chain;
    }

    /// <summary>Appends <paramref name="record"/> at <paramref name="time"/> and returns the new entry.</summary>
    public AuditEntry Append(AuditRecord record, DateTimeOffset time)
    {
        var unsealed = new AuditEntry(entries.Count, time, Party, record.Kind, record.Session, record.Fields.ToArray(), Last, "", "");
        AuditEntry entry = Seal(unsealed);
        entries.Add(entry);
        return entry;
    }

    /// <summary>Undoes the last append (it could not be stored).</summary>
    public void RemoveLast()
    {
        if (entries.Count > 0)
        {
            entries.RemoveAt(entries.Count - 1);
        }
    }

    /// <summary>The entries' lines (what storage keeps).</summary>
    public string[] Lines() => entries.Select(e => e.ToLine()).ToArray();

    /// <summary>The export: header, every entry, and a head signed now (at <paramref name="time"/>).</summary>
    public string[] Export(DateTimeOffset time)
    {
        var head = new AuditHead(Party, entries.Count, Last, time, "");
        head = head with { Sig = signer.SignData(head.Body()) };
        return Lines().Prepend(new AuditHeader(Party, signer.Certificate, signer.PublicKey).ToLine()).Append(head.ToLine()).ToArray();
    }

    private AuditEntry Seal(AuditEntry entry)
    {
        byte[] body = entry.Body();
        byte[] digest = System.Security.Cryptography.SHA256.HashData(body);
        return entry with { Hash = Convert.ToHexStringLower(digest), Sig = signer.SignHash(digest) };
    }

    /// <summary>Signs every entry whose signature the current signer's key does not verify; returns how many.</summary>
    private int Resign()
    {
        using AuditPublicKey key = signer.Verifier();
        int count = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            byte[] digest = Convert.FromHexString(entries[i].Hash);
            if (!key.VerifyHash(digest, entries[i].Sig))
            {
                entries[i] = entries[i] with { Sig = signer.SignHash(digest) };
                count++;
            }
        }
        return count;
    }
}
