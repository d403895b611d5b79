using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Interfaces;

/// <summary>A data owner (key: the party id). Lives only on that party's silos, where its data file is configured.</summary>
[Alias("SecureCompute.IPartyGrain")]
public interface IPartyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Whether this party's policy admits <paramref name="spec"/>, started by whoever <paramref name="starter"/> proves
    /// (the party's silo checks the credential itself). Reads no row and draws no seed.
    /// </summary>
    [Alias("Admit")]
    Task<AdmissionAnswer> AdmitAsync(SessionSpec spec, ClientCredential starter);

    /// <summary>
    /// Whether this party's policy admits the session's total row count (public, known once every schema is in) — the
    /// minimum rows behind any released aggregate. Before any seed is drawn.
    /// </summary>
    [Alias("ConfirmRows")]
    Task<AdmissionAnswer> ConfirmRowsAsync(string session, long totalRows);

    /// <summary>The sessions awaiting a decision of this party, for one of its operators.</summary>
    [Alias("Pending")]
    Task<PendingSession[]> PendingAsync(ClientCredential credential);

    /// <summary>An operator of this party approves (or rejects) session <paramref name="session"/> for this party.</summary>
    [Alias("Decide")]
    Task DecideAsync(string session, bool approve, ClientCredential credential);

    /// <summary>The public schema of this party's rows for admitted session <paramref name="session"/> (its label and allowed columns).</summary>
    /// <remarks>The party's silo reads its own file from its own configuration; only names and counts leave the silo.</remarks>
    [Alias("Describe")]
    Task<PartySchemaInfo> DescribeAsync(string session);

    /// <summary>
    /// The model of session <paramref name="session"/> for the operator <paramref name="credential"/> proves: the model
    /// itself to an operator of this party when this party is a recipient, this party's share of it to a client named as
    /// a recipient; anyone else is refused.
    /// </summary>
    [Alias("FetchResult")]
    Task<SessionResult> FetchResultAsync(string session, ClientCredential credential);

    /// <summary>The party id of the silo this activation runs on (for placement checks and audits).</summary>
    [Alias("HostParty")]
    Task<string?> GetHostPartyAsync();
}
