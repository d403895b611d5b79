using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Governance;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Privacy;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Placement;
using SecureCompute.Grains.Policy;
using SecureCompute.Grains.Sessions;
using SecureCompute.Mpc.Encoding;

namespace SecureCompute.Grains.Parties;

/// <summary>
/// A data owner: decides, by its own silo's settings and policy, whether a session may run on its rows; reads its own
/// rows on its own silo — only for a session it admitted — and tells others only their schema.
/// </summary>
[PartyPlacement]
public sealed partial class PartyGrain(SiloIdentity silo, SessionRows sessionRows, ClientIdentities clients, IOptions<SessionOptions> limits, TimeProvider clock, ILogger<PartyGrain> logger)
    : Grain, IPartyGrain
{
    private readonly Dictionary<string, SessionSpec> admitted = new();
    private readonly Dictionary<string, PendingSession> pending = new();
    private readonly Dictionary<string, IGrainTimer> timeouts = new();

    private string Party => this.GetPrimaryKeyString();

    private IPrivacyBudgetGrain Budget => GrainFactory.GetGrain<IPrivacyBudgetGrain>(Party);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        silo.RequireParty(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Steps: 1. verify the starter's credential on this silo; 2. this silo's own settings (reproducible seeds); 3. every
    /// rule of this party's policy (<see cref="PolicyEvaluator.Admit"/>, all refusals listed); 4. refused → audited and
    /// answered; manual approval → kept pending until an operator decides or the policy's timeout passes; else admitted.
    /// Nothing is read and nothing is drawn here.
    /// </remarks>
    public async Task<AdmissionAnswer> AdmitAsync(SessionSpec spec, ClientCredential starter)
    {
        IReadOnlyList<string> problems = spec.ValidateIdentity();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"party '{Party}': {string.Join(" ", problems)}", nameof(spec));
        }
        if (!spec.Parties.Contains(Party))
        {
            throw new ArgumentException($"party '{Party}' is not among session '{spec.Session}''s parties.", nameof(spec));
        }
        if (admitted.ContainsKey(spec.Session) || pending.ContainsKey(spec.Session))
        {
            throw new InvalidOperationException($"party '{Party}' has already been asked about session '{spec.Session}'.");
        }
        OperatorIdentity? who = clients.Verify(starter, ClientPurpose.Start, spec.Session);
        string starterName = who?.ToString() ?? "anonymous";
        var reasons = new List<string>();
        if (spec.ReproducibleSeed is not null && !limits.Value.AllowReproducibleSeeds)
        {
            reasons.Add("reproducible seeds: this silo does not allow them (--allow-reproducible-seeds, for tests and demos only).");
        }
        AdmissionDecision decision = PolicyEvaluator.Admit(silo.Policy, new AdmissionRequest(spec, who));
        reasons.AddRange(decision.Refusals.Select(r => r.ToString()));
        if (reasons.Count == 0 && spec.Privacy is { } privacy)
        {
            // The session's (ε, δ) is held in this party's ledger before anything else happens; refused if it would
            // exceed what remains (reserved by running sessions included).
            BudgetAnswer budget = await Budget.ReserveAsync(spec.Session, privacy.Epsilon, privacy.Delta);
            if (!budget.Reserved)
            {
                reasons.Add($"rule privacy: {budget.Refusal}");
            }
        }
        if (reasons.Count > 0)
        {
            LogRefused(logger, Party, spec.Session, reasons.Count);
            await Audit(AuditEventKind.SessionRefused, spec.Session, ("starter", starterName), ("rules", string.Join(" ", reasons)));
            return new AdmissionAnswer(AdmissionVerdict.Refused, reasons.ToArray());
        }
        if (decision.RequiresApproval)
        {
            DateTimeOffset now = clock.GetUtcNow();
            var waiting = new PendingSession(Party, spec, starterName, now, now + silo.Policy.ApprovalTimeout);
            pending[spec.Session] = waiting;
            timeouts[spec.Session] = this.RegisterGrainTimer(() => ExpireAsync(spec.Session), new GrainTimerCreationOptions(silo.Policy.ApprovalTimeout, Timeout.InfiniteTimeSpan) { KeepAlive = true });
            LogPending(logger, Party, spec.Session, silo.Policy.ApprovalTimeout.TotalSeconds);
            await Audit(AuditEventKind.SessionPending, spec.Session, ("starter", starterName), ("deadline", waiting.Deadline.UtcDateTime.ToString("O")));
            return new AdmissionAnswer(AdmissionVerdict.Pending, Array.Empty<string>(), silo.Policy.ApprovalTimeout);
        }
        admitted[spec.Session] = spec;
        LogAdmitted(logger, Party, spec.Session, starterName);
        await Audit(AuditEventKind.SessionAdmitted, spec.Session, ("starter", starterName), ("parties", string.Join(",", spec.Parties)),
            ("model", spec.Model.Name()), ("recipients", string.Join(",", SessionRecipients.Of(spec))));
        return AdmissionAnswer.Admitted;
    }

    /// <inheritdoc />
    public async Task<AdmissionAnswer> ConfirmRowsAsync(string session, long totalRows)
    {
        if (!admitted.ContainsKey(session))
        {
            throw new InvalidOperationException($"party '{Party}' has not admitted session '{session}'.");
        }
        if (totalRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(totalRows), totalRows, "A session has at least one row.");
        }
        AdmissionDecision rows = PolicyEvaluator.CheckRows(silo.Policy, totalRows);
        if (rows.Admitted)
        {
            return AdmissionAnswer.Admitted;
        }
        admitted.Remove(session);
        await Budget.RefundAsync(session);
        string[] reasons = rows.Refusals.Select(r => r.ToString()).ToArray();
        await Audit(AuditEventKind.SessionRefused, session, ("rules", string.Join(" ", reasons)));
        return new AdmissionAnswer(AdmissionVerdict.Refused, reasons);
    }

    /// <inheritdoc />
    public Task<PendingSession[]> PendingAsync(ClientCredential credential)
    {
        OperatorIdentity who = RequireOperator(credential, ClientPurpose.ListPending, Party);
        LogListed(logger, Party, who.ToString(), pending.Count);
        return Task.FromResult(pending.Values.OrderBy(p => p.Since).ToArray());
    }

    /// <inheritdoc />
    public async Task DecideAsync(string session, bool approve, ClientCredential credential)
    {
        OperatorIdentity who = RequireOperator(credential, approve ? ClientPurpose.Approve : ClientPurpose.Reject, session);
        if (!PolicyEvaluator.MayApprove(silo.Policy, who))
        {
            throw new UnauthorizedAccessException($"'{who}' may not decide for party '{Party}' (rule approvers).");
        }
        if (!pending.Remove(session, out PendingSession? waiting))
        {
            throw new InvalidOperationException($"party '{Party}' has no session '{session}' awaiting a decision.");
        }
        if (timeouts.Remove(session, out IGrainTimer? timer))
        {
            timer.Dispose();
        }
        if (approve)
        {
            admitted[session] = waiting.Spec;
        }
        else
        {
            await Budget.RefundAsync(session);
        }
        LogDecided(logger, Party, session, approve ? "approved" : "rejected", who.ToString());
        await Audit(approve ? AuditEventKind.SessionApproved : AuditEventKind.SessionRejected, session, ("by", who.ToString()));
        await GrainFactory.GetGrain<ITrainingSessionGrain>(session).PartyDecidedAsync(Party, approve, approve ? $"approved by {who}" : $"rejected by {who}");
    }

    private async Task ExpireAsync(string session)
    {
        if (!pending.Remove(session))
        {
            return;
        }
        timeouts.Remove(session, out IGrainTimer? timer);
        timer?.Dispose();
        await Budget.RefundAsync(session);
        string reason = $"no operator decided within {silo.Policy.ApprovalTimeout.TotalSeconds:F0} s (rule approval)";
        await Audit(AuditEventKind.SessionRejected, session, ("by", "timeout"));
        await GrainFactory.GetGrain<ITrainingSessionGrain>(session).PartyDecidedAsync(Party, false, reason);
    }

    /// <summary>The operator of this party the credential proves, or a refusal that names the rule (never a value).</summary>
    private OperatorIdentity RequireOperator(ClientCredential credential, ClientPurpose purpose, string subject)
    {
        OperatorIdentity? who = clients.Verify(credential, purpose, subject);
        if (who is null || who.Party != Party)
        {
            throw new UnauthorizedAccessException(who is null
                ? $"party '{Party}' answers only its own operators; this client proved no identity for '{purpose}' on '{subject}'."
                : $"party '{Party}' answers only its own operators; '{who}' belongs to party '{who.Party}'.");
        }
        return who;
    }

    /// <inheritdoc />
    public async Task<PartySchemaInfo> DescribeAsync(string session)
    {
        if (!admitted.TryGetValue(session, out SessionSpec? spec))
        {
            throw new InvalidOperationException($"party '{Party}' has not admitted session '{session}'; it reads no row for it.");
        }
        PartyDataset rows;
        try
        {
            // Only the columns the session may use (the spec's, else every column this party's policy allows) go any
            // further; the worker trains on these same rows.
            rows = sessionRows.For(spec);
        }
        catch (Exception e) when (e is DatasetException or IOException or UnauthorizedAccessException)
        {
            // The message names file, row and column (never a value); the caller gets it as a type every silo can
            // decode, with the party named.
            throw new InvalidOperationException($"party '{Party}': {e.Message}");
        }
        LogDescribed(logger, Party, rows.Rows, rows.Columns);
        await Audit(AuditEventKind.RowsRead, session, ("purpose", "schema"), ("rows", rows.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("columns", rows.Columns.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new PartySchemaInfo(Party, Path.GetFileName(rows.Source), rows.Rows, rows.FeatureNames.ToArray(), rows.LabelName);
    }

    /// <inheritdoc />
    public async Task<SessionResult> FetchResultAsync(string session, ClientCredential credential)
    {
        OperatorIdentity? who = clients.Verify(credential, ClientPurpose.FetchResult, session);
        var (spec, model, share) = await GrainFactory.GetGrain<IPartySessionGrain>(PartySessionKey.Of(session, Party)).GetResultAsync();
        SessionResult? answer = null;
        if (SessionRecipients.IsClientRecipient(spec, who))
        {
            answer = share;
        }
        else if (who is not null && who.Party == Party && SessionRecipients.Parties(spec).Any(i => spec.Parties[i] == Party))
        {
            answer = model;
        }
        if (answer is null)
        {
            throw new UnauthorizedAccessException(who is null
                ? $"party '{Party}' gives session '{session}''s model only to a named recipient; this client proved no identity."
                : $"party '{Party}' gives session '{session}''s model only to a named recipient (or an operator of a recipient party); '{who}' is neither, or the session has not finished.");
        }
        await Audit(AuditEventKind.Release, session, ("kind", ReleaseKind.Model.ToString()), ("to", who!.ToString()), ("as", answer.Weights is null ? "share" : "model"));
        return answer;
    }

    /// <inheritdoc />
    public Task<string?> GetHostPartyAsync() => Task.FromResult(silo.Party);

    private Task Audit(AuditEventKind kind, string? session, params (string Name, string Value)[] fields) =>
        GrainFactory.GetGrain<IAuditLogGrain>(Party).AppendAsync(new AuditRecord(kind, session, fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).ToArray()));

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} described its rows: {Rows} rows, {Columns} features")]
    private static partial void LogDescribed(ILogger logger, string party, int rows, int columns);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} admitted session {Session}, started by {Starter}")]
    private static partial void LogAdmitted(ILogger logger, string party, string session, string starter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party}: session {Session} awaits an operator's decision (up to {Seconds:F0} s)")]
    private static partial void LogPending(ILogger logger, string party, string session, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party}: {Operator} listed {Count} pending sessions")]
    private static partial void LogListed(ILogger logger, string party, string @operator, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party}: session {Session} {Decision} by {Operator}")]
    private static partial void LogDecided(ILogger logger, string party, string session, string decision, string @operator);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Party {Party} refused session {Session} ({Rules} rules)")]
    private static partial void LogRefused(ILogger logger, string party, string session, int rules);
}
