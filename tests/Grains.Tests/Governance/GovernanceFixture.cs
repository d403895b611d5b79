using System.Collections.Concurrent;
using System.Text.Json;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Policy;
using SecureCompute.Silo.Embedded;

namespace SecureCompute.Grains.Tests.Governance;

/// <summary>
/// A cluster whose parties hold different policies, as production silos (no reproducible seeds): hospital-1 admits
/// anything; hospital-2 admits only hospital-1's and its own operators, the label benign, at most 3 epochs, batches of 16 or more, and
/// the model only to parties and hospital-1:alice; hospital-3 wants a manual approval by hospital-3:carol within 4 s.
/// Every silo counts the times it reads its rows.
/// </summary>
public sealed class GovernanceFixture : IAsyncLifetime
{
    /// <summary>The parties.</summary>
    public static readonly string[] Hospitals = { "hospital-1", "hospital-2", "hospital-3" };

    /// <summary>hospital-3's approval timeout.</summary>
    public const int ApprovalSeconds = 4;

    /// <summary>How often each party's silo read its rows.</summary>
    public ConcurrentDictionary<string, int> Reads { get; } = new();

    /// <summary>The running cluster.</summary>
    public EmbeddedCluster Cluster { get; private set; } = null!;

    /// <summary>The policies, by party.</summary>
    public static IReadOnlyDictionary<string, string> Policies { get; } = new Dictionary<string, string>
    {
        ["hospital-1"] = PartyPolicy.Permissive("hospital-1").ToJson(),
        ["hospital-2"] = """
            { "party": "hospital-2", "starters": ["hospital-1:*", "hospital-2:*"], "labels": ["benign"], "maxEpochs": 3, "minBatchSize": 16,
              "releases": { "statistics": ["$parties"], "loss": ["$parties"], "model": ["$parties", "hospital-1:alice"] } }
            """,
        ["hospital-3"] = $$"""
            { "party": "hospital-3", "starters": ["*"], "approval": "manual", "approvalTimeoutSeconds": {{ApprovalSeconds}},
              "approvers": ["hospital-3:carol"] }
            """,
    };

    /// <summary>An operator's signer (declared: the cluster runs without TLS, as in development).</summary>
    public static ClientSigner Operator(string party, string name) => ClientSigner.Declaring(new OperatorIdentity(party, name));

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        SiloIdentity[] identities = Hospitals.Select(h => SiloIdentity.ForParty(h, label =>
            {
                Reads.AddOrUpdate(h, 1, (_, n) => n + 1);
                return CsvDataset.Load(RepositoryData.File("breast-cancer", h), label);
            }).WithPolicy(PartyPolicyLoader.Parse(Policies[h], $"{h}.json", h)))
            .Append(SiloIdentity.ForDealer()).ToArray();
        Cluster = await EmbeddedCluster.StartAsync(identities);
    }

    /// <summary>The reads of <paramref name="party"/> so far.</summary>
    public int ReadsOf(string party) => Reads.GetValueOrDefault(party);

    /// <summary>Party <paramref name="party"/>'s audit trail entries (kind, session, fields) as its own operator exports them.</summary>
    public async Task<IReadOnlyList<(string Kind, string? Session, Dictionary<string, string> Fields)>> TrailAsync(string party)
    {
        string[] lines = await Cluster.Grains.GetGrain<IAuditLogGrain>(party)
            .ExportAsync(ClientCredential.Declaring(ClientPurpose.ExportAudit, party, new OperatorIdentity(party, "auditor")));
        var entries = new List<(string, string?, Dictionary<string, string>)>();
        foreach (string line in lines)
        {
            using JsonDocument json = JsonDocument.Parse(line);
            if (!json.RootElement.TryGetProperty("kind", out JsonElement kind))
            {
                continue;   // the header and the signed head
            }
            string? session = json.RootElement.GetProperty("session").GetString();
            var fields = json.RootElement.GetProperty("fields").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            entries.Add((kind.GetString()!, session, fields));
        }
        return entries;
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>One governance cluster shared by the governance test classes.</summary>
[CollectionDefinition(Name)]
public sealed class GovernanceCollection : ICollectionFixture<GovernanceFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "governance";
}
