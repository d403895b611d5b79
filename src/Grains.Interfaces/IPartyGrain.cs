using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Interfaces;

/// <summary>A data owner (key: the party id). Lives only on that party's silos, where its data file is configured.</summary>
[Alias("SecureCompute.IPartyGrain")]
public interface IPartyGrain : IGrainWithStringKey
{
    /// <summary>The public schema of this party's rows with <paramref name="label"/> as the label column.</summary>
    /// <remarks>The party's silo reads its own file from its own configuration; only names and counts leave the silo.</remarks>
    [Alias("Describe")]
    Task<PartySchemaInfo> DescribeAsync(string label);

    /// <summary>The party id of the silo this activation runs on (for placement checks and audits).</summary>
    [Alias("HostParty")]
    Task<string?> GetHostPartyAsync();
}
