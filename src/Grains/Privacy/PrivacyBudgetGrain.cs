using System.Globalization;
using Microsoft.Extensions.Logging;
using SecureCompute.Grains.Governance;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Privacy;
using SecureCompute.Grains.Placement;
using SecureCompute.Grains.Storage;

namespace SecureCompute.Grains.Privacy;

/// <summary>
/// A party's privacy budget ledger (<see cref="PrivacyLedger"/>) on its own silo: written to the party's storage,
/// sealed with its key, before any answer is given — so a reservation, spend or refund that was answered survives a
/// restart — and audited. Orleans runs one call at a time per grain, so two sessions reserving at once are checked
/// one after the other against the same remaining budget.
/// </summary>
[PartyPlacement]
public sealed partial class PrivacyBudgetGrain(
    SiloIdentity silo,
    ClientIdentities clients,
    TimeProvider clock,
    [PersistentState("privacy-budget")] IPersistentState<SealedState> stored,
    ILogger<PrivacyBudgetGrain> logger) : Grain, IPrivacyBudgetGrain
{
    private PrivacyLedger ledger = new();

    private string Party => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        silo.RequireParty(Party);
        if (stored.State.Sealed is { } sealedBytes)
        {
            ledger = PrivacyLedger.FromBytes(silo.Sealer.Unseal(sealedBytes, $"privacy-budget/{Party}"));
            LogRestored(logger, Party, ledger.Entries.Count);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<BudgetAnswer> ReserveAsync(string session, double epsilon, double delta)
    {
        bool known = ledger.Find(session) is not null;
        BudgetAnswer answer = ledger.Reserve(Party, session, epsilon, delta, silo.Policy.Privacy, clock.GetUtcNow());
        if (!answer.Reserved)
        {
            LogRefused(logger, Party, session);
            await Audit(AuditEventKind.BudgetRefused, session, ("epsilon", Number(epsilon)), ("remaining", Remaining()));
            return answer;
        }
        if (!known)
        {
            await SaveAsync();
            LogReserved(logger, Party, session, epsilon);
            await Audit(AuditEventKind.BudgetReserved, session, ("epsilon", Number(epsilon)), ("delta", Number(delta)), ("remaining", Remaining()));
        }
        return answer;
    }

    /// <inheritdoc />
    public async Task SpendAsync(string session)
    {
        BudgetEntryState? before = ledger.Find(session)?.State;
        if (!ledger.Spend(session, clock.GetUtcNow()))
        {
            throw new InvalidOperationException($"party '{Party}' holds no privacy budget reservation for session '{session}' ({(before is null ? "never reserved" : "refunded")}); it makes no DP release for it.");
        }
        if (before != BudgetEntryState.Spent)
        {
            await SaveAsync();
            BudgetEntry entry = ledger.Find(session)!;
            LogSpent(logger, Party, session, entry.Epsilon);
            await Audit(AuditEventKind.BudgetSpent, session, ("epsilon", Number(entry.Epsilon)), ("delta", Number(entry.Delta)), ("remaining", Remaining()));
        }
    }

    /// <inheritdoc />
    public async Task<bool> RefundAsync(string session)
    {
        if (!ledger.Refund(session, clock.GetUtcNow()))
        {
            return false;
        }
        await SaveAsync();
        BudgetEntry entry = ledger.Find(session)!;
        LogRefunded(logger, Party, session, entry.Epsilon);
        await Audit(AuditEventKind.BudgetRefunded, session, ("epsilon", Number(entry.Epsilon)), ("remaining", Remaining()));
        return true;
    }

    /// <inheritdoc />
    public Task<BudgetStatement> ShowAsync(ClientCredential credential)
    {
        OperatorIdentity? who = clients.Verify(credential, ClientPurpose.ShowBudget, Party);
        if (who is null || who.Party != Party)
        {
            throw new UnauthorizedAccessException(who is null
                ? $"party '{Party}' shows its privacy budget only to its own operators; this client proved no identity."
                : $"party '{Party}' shows its privacy budget only to its own operators; '{who}' belongs to party '{who.Party}'.");
        }
        var rules = silo.Policy.Privacy;
        return Task.FromResult(new BudgetStatement(Party, Party, rules.BudgetEpsilon, rules.BudgetDelta, ledger.SpentEpsilon, ledger.ReservedEpsilon,
            ledger.RemainingEpsilon(rules), ledger.SpentDelta, ledger.ReservedDelta, ledger.Entries.ToArray()));
    }

    /// <inheritdoc />
    public Task<string?> GetHostPartyAsync() => Task.FromResult(silo.Party);

    private async Task SaveAsync()
    {
        stored.State.Sealed = silo.Sealer.Seal(ledger.ToBytes(), $"privacy-budget/{Party}");
        await stored.WriteStateAsync();
    }

    private string Remaining() => ledger.RemainingEpsilon(silo.Policy.Privacy) is { } r ? Number(r) : "unlimited";

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private Task Audit(AuditEventKind kind, string session, params (string Name, string Value)[] fields) =>
        GrainFactory.GetGrain<IAuditLogGrain>(Party).AppendAsync(new AuditRecord(kind, session, fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).ToArray()));

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} reserved ε = {Epsilon} for session {Session}")]
    private static partial void LogReserved(ILogger logger, string party, string session, double epsilon);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} spent ε = {Epsilon} for session {Session}")]
    private static partial void LogSpent(ILogger logger, string party, string session, double epsilon);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} gave back ε = {Epsilon} reserved for session {Session}")]
    private static partial void LogRefunded(ILogger logger, string party, string session, double epsilon);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Party {Party}'s privacy budget refused session {Session}")]
    private static partial void LogRefused(ILogger logger, string party, string session);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} read back its privacy budget ledger ({Entries} sessions)")]
    private static partial void LogRestored(ILogger logger, string party, int entries);
}
