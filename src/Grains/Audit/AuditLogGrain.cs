using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Placement;

namespace SecureCompute.Grains.Audit;

/// <summary>
/// A party's audit trail (key: the party id), on that party's silos only. Every append is chained, signed and in storage
/// before it returns; an export is the whole trail with a head signed at export time (docs/audit.md).
/// </summary>
/// <remarks>
/// The grain is not reentrant, so appends are serialised. It signs with the silo's certificate when an
/// <see cref="IAuditKey"/> is registered, else with a local ECDSA P-256 key created on first use and kept sealed in
/// its state. With <see cref="AuditOptions.Enabled"/> off (a benchmark's baseline only) it validates each record and
/// keeps none. On activation it verifies the stored trail against the key that signed it and refuses a trail that
/// fails; when the silo's key has changed since, it re-signs the entries (their hashes, and so the chain, stay).
/// </remarks>
[PartyPlacement]
public sealed partial class AuditLogGrain(
    SiloIdentity silo,
    IServiceProvider services,
    IOptions<AuditOptions> options,
    [PersistentState("audit")] IPersistentState<AuditLogState> stored,
    ILogger<AuditLogGrain> logger) : Grain, IAuditLogGrain
{
    private AuditSigner signer = null!;
    private AuditChain chain = null!;

    private string Party => this.GetPrimaryKeyString();

    private string KeyContext => $"audit-key:{Party}";

    private string SignerContext => $"audit-signer:{Party}";

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        silo.RequireParty(Party);
        signer = CreateSigner();
        AuditLogState state = stored.State;
        if (state.Lines.Count == 0)
        {
            chain = new AuditChain(Party, signer);
            return;
        }
        if (state.SealedSigner is null)
        {
            throw new InvalidDataException($"The stored audit trail of party '{Party}' does not say which key signed it.");
        }
        string material = Encoding.UTF8.GetString(silo.Sealer.Unseal(state.SealedSigner, SignerContext));
        using AuditPublicKey storedKey = AuditPublicKey.FromMaterial(material);
        chain = AuditChain.Load(Party, signer, state.Lines, storedKey, out int resigned);
        LogRestored(logger, Party, chain.Entries.Count);
        if (resigned > 0)
        {
            state.Lines = chain.Lines().ToList();
            state.SealedSigner = silo.Sealer.Seal(Encoding.UTF8.GetBytes(signer.Material), SignerContext);
            await stored.WriteStateAsync(cancellationToken);
            LogResigned(logger, Party, resigned);
        }
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        signer.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task AppendAsync(AuditRecord record)
    {
        if (AuditFields.Problem(record) is { } problem)
        {
            throw new ArgumentException($"An audit record for party '{Party}' was refused: {problem}.", nameof(record));
        }
        if (!options.Value.Enabled)
        {
            // The benchmark's baseline: the record was checked as always, but nothing is chained, signed or stored.
            return;
        }
        AuditEntry entry = chain.Append(record, DateTimeOffset.UtcNow);
        AuditLogState state = stored.State;
        List<string> previousLines = state.Lines;
        byte[]? previousSigner = state.SealedSigner;
        state.Lines = chain.Lines().ToList();
        state.SealedSigner = silo.Sealer.Seal(Encoding.UTF8.GetBytes(signer.Material), SignerContext);
        try
        {
            await stored.WriteStateAsync();
        }
        catch
        {
            chain.RemoveLast();
            state.Lines = previousLines;
            state.SealedSigner = previousSigner;
            throw;
        }
        LogAppended(logger, Party, record.Kind, entry.Seq);
    }

    /// <inheritdoc />
    public Task<string[]> ExportAsync(ClientCredential credential)
    {
        // The trail goes only to this party's own operators (as this silo can tell: TLS-proven, or declared without TLS).
        if (credential is null)
        {
            throw new ArgumentNullException(nameof(credential), "An audit export needs a credential (purpose ExportAudit, subject: the party id).");
        }
        if (credential.Purpose != ClientPurpose.ExportAudit)
        {
            throw new ArgumentException($"The credential was made for {credential.Purpose}, not for {ClientPurpose.ExportAudit}.", nameof(credential));
        }
        if (credential.Subject != Party)
        {
            throw new ArgumentException($"The credential is for another subject than party '{Party}'.", nameof(credential));
        }
        OperatorIdentity? who = services.GetRequiredService<SecureCompute.Grains.Governance.ClientIdentities>().Verify(credential, ClientPurpose.ExportAudit, Party);
        if (who is null || who.Party != Party)
        {
            throw new UnauthorizedAccessException($"party '{Party}' exports its audit trail only to its own operators{(who is null ? "; this client proved no identity" : $"; '{who}' belongs to party '{who.Party}'")}.");
        }
        string[] lines = chain.Export(DateTimeOffset.UtcNow);
        LogExported(logger, Party, chain.Entries.Count);
        return Task.FromResult(lines);
    }

    /// <summary>The silo's certificate signer, or the local key (unsealed from state, or created and sealed into it).</summary>
    private AuditSigner CreateSigner()
    {
        if (services.GetService<IAuditKey>() is { } key)
        {
            return AuditSigner.ForCertificate(key.Certificate);
        }
        var local = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (stored.State.SealedKey is { } sealedKey)
        {
            byte[] pkcs8 = silo.Sealer.Unseal(sealedKey, KeyContext);
            try
            {
                local.ImportPkcs8PrivateKey(pkcs8, out _);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }
        else
        {
            byte[] pkcs8 = local.ExportPkcs8PrivateKey();
            stored.State.SealedKey = silo.Sealer.Seal(pkcs8, KeyContext);
            CryptographicOperations.ZeroMemory(pkcs8);
            LogCreatedKey(logger, Party);
        }
        return AuditSigner.ForKey(local);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit trail of party {Party}: restored {Entries} entries")]
    private static partial void LogRestored(ILogger logger, string party, int entries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit trail of party {Party}: the silo's key changed; re-signed {Entries} entries")]
    private static partial void LogResigned(ILogger logger, string party, int entries);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit trail of party {Party}: created a local signing key")]
    private static partial void LogCreatedKey(ILogger logger, string party);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audit trail of party {Party}: appended {Kind} as entry {Seq}")]
    private static partial void LogAppended(ILogger logger, string party, AuditEventKind kind, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit trail of party {Party}: exported {Entries} entries")]
    private static partial void LogExported(ILogger logger, string party, int entries);
}
