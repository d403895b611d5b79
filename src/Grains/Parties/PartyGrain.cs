using Microsoft.Extensions.Logging;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Placement;
using SecureCompute.Mpc.Encoding;

namespace SecureCompute.Grains.Parties;

/// <summary>A data owner: reads its own rows on its own silo and tells others only their schema.</summary>
[PartyPlacement]
public sealed partial class PartyGrain(SiloIdentity silo, ILogger<PartyGrain> logger) : Grain, IPartyGrain
{
    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        silo.RequireParty(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<PartySchemaInfo> DescribeAsync(string label)
    {
        string party = this.GetPrimaryKeyString();
        PartyDataset rows;
        try
        {
            rows = silo.LoadRows(label);
            rows.RequireWithin(FixedPointFormat.Default.MaxMagnitude);
        }
        catch (Exception e) when (e is DatasetException or IOException or UnauthorizedAccessException)
        {
            // The message names file, row and column (never a value); the caller gets it as a type every silo can
            // decode, with the party named.
            throw new InvalidOperationException($"party '{party}': {e.Message}");
        }
        LogDescribed(logger, party, rows.Rows, rows.Columns);
        return Task.FromResult(new PartySchemaInfo(party, Path.GetFileName(rows.Source), rows.Rows, rows.FeatureNames.ToArray(), rows.LabelName));
    }

    /// <inheritdoc />
    public Task<string?> GetHostPartyAsync() => Task.FromResult(silo.Party);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} described its rows: {Rows} rows, {Columns} features")]
    private static partial void LogDescribed(ILogger logger, string party, int rows, int columns);
}
