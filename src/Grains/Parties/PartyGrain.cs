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
    public Task<AdmissionAnswer> AdmitAsync(SessionSpec spec, ClientCredential starter)
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
        if (reasons.Count > 0)
        {
            LogRefused(logger, Party, spec.Session, reasons.Count);
            return Task.FromResult(new AdmissionAnswer(AdmissionVerdict.Refused, reasons.ToArray()));
        }
        admitted[spec.Session] = spec;
        LogAdmitted(logger, Party, spec.Session, who?.ToString() ?? "anonymous");
        return Task.FromResult(AdmissionAnswer.Admitted);
    }

    /// <inheritdoc />
    public Task<PartySchemaInfo> DescribeAsync(string session)
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
        return Task.FromResult(new PartySchemaInfo(Party, Path.GetFileName(rows.Source), rows.Rows, rows.FeatureNames.ToArray(), rows.LabelName));
    }

    /// <inheritdoc />
    public Task<string?> GetHostPartyAsync() => Task.FromResult(silo.Party);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} described its rows: {Rows} rows, {Columns} features")]
    private static partial void LogDescribed(ILogger logger, string party, int rows, int columns);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} admitted session {Session}, started by {Starter}")]
    private static partial void LogAdmitted(ILogger logger, string party, string session, string starter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Party {Party} refused session {Session} ({Rules} rules)")]
    private static partial void LogRefused(ILogger logger, string party, string session, int rules);
}
