using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Governance;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Placement;
using SecureCompute.Grains.Sessions;
using SecureCompute.Mpc.Encoding;

namespace SecureCompute.Grains.Parties;

/// <summary>
/// A data owner: decides, by its own silo's settings and policy, whether a session may run on its rows; reads its own
/// rows on its own silo — only for a session it admitted — and tells others only their schema.
/// </summary>
[PartyPlacement]
public sealed partial class PartyGrain(SiloIdentity silo, ClientIdentities clients, IOptions<SessionOptions> limits, ILogger<PartyGrain> logger)
    : Grain, IPartyGrain
{
    private readonly Dictionary<string, SessionSpec> admitted = new();

    private string Party => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        silo.RequireParty(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
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
        OperatorIdentity? who = clients.Verify(starter, ClientPurpose.Start, spec.Session);
        var reasons = new List<string>();
        if (spec.ReproducibleSeed is not null && !limits.Value.AllowReproducibleSeeds)
        {
            reasons.Add("reproducible seeds: this silo does not allow them (--allow-reproducible-seeds, for tests and demos only).");
        }
        string starterName = who?.ToString() ?? "anonymous";
        if (reasons.Count > 0)
        {
            LogRefused(logger, Party, spec.Session, reasons.Count);
            await Audit(AuditEventKind.SessionRefused, spec.Session, ("starter", starterName), ("rules", string.Join(" ", reasons)));
            return new AdmissionAnswer(AdmissionVerdict.Refused, reasons.ToArray());
        }
        admitted[spec.Session] = spec;
        LogAdmitted(logger, Party, spec.Session, starterName);
        await Audit(AuditEventKind.SessionAdmitted, spec.Session, ("starter", starterName), ("parties", string.Join(",", spec.Parties)),
            ("model", spec.Model), ("recipients", string.Join(",", SessionRecipients.Of(spec))));
        return AdmissionAnswer.Admitted;
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
            rows = silo.LoadRows(spec.Label);
            rows.RequireWithin(FixedPointFormat.Default.MaxMagnitude);
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
        var (spec, model, share) = await GrainFactory.GetGrain<ITensorGrain>(TensorKey.Of(session, Party)).GetResultAsync();
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
        await Audit(AuditEventKind.Release, session, ("kind", "model"), ("to", who!.ToString()), ("as", answer.Weights is null ? "share" : "model"));
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Party {Party} refused session {Session} ({Rules} rules)")]
    private static partial void LogRefused(ILogger logger, string party, string session, int rules);
}
