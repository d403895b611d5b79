using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Privacy;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Policy;
using SecureCompute.Silo.Embedded;
using Spectre.Console;

namespace SecureCompute.Client.Demo;

/// <summary>The demo's cluster: a silo per party (each given only its own rows and an explicit permissive policy) and a dealer silo, in this process.</summary>
internal static class DemoCluster
{
    /// <summary>The demo's own client identity (declared: the embedded cluster runs without TLS).</summary>
    public static readonly OperatorIdentity Client = new("demo", "console");

    /// <summary>
    /// Starts the cluster, runs one session with a progress bar, collects what each recipient received and every party's
    /// audit trail, stops the cluster.
    /// </summary>
    /// <remarks>The session's secret seeds derive from the demo's <c>--seed</c> (reproducible demo; a deployment draws fresh ones).</remarks>
    /// <param name="ids">The parties' ids.</param>
    /// <param name="parties">Each party's rows.</param>
    /// <param name="spec">The session (its id, parties, label, classes and recipients included).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<DemoClusterRun> TrainAsync(string[] ids, IReadOnlyList<PartyDataset> parties, SessionSpec spec, CancellationToken cancellationToken)
    {
        // A DP demo: each party declares the public bounds in its own policy (written with the others to
        // out/policies), and its silo checks the session's bounds against them before sharing a row.
        PartyPolicy[] policies = Policies(ids, parties[0].FeatureNames, spec.Privacy?.LowerBounds, spec.Privacy?.UpperBounds);
        var identities = ids.Select((id, i) => SiloIdentity.ForParty(id, _ => parties[i]).WithPolicy(policies[i])).Append(SiloIdentity.ForDealer()).ToArray();
        EmbeddedCluster? cluster = null;
        await AnsiConsole.Status().StartAsync($"starting {identities.Length} silos", async _ =>
            cluster = await EmbeddedCluster.StartAsync(identities, cancellationToken: cancellationToken, allowReproducibleSeeds: true));
        await using EmbeddedCluster running = cluster!;
        SessionReport r = await SessionProgressBar.RunAsync(running.Grains, spec, ClientSigner.Declaring(Client), cancellationToken);
        var partyModels = new Dictionary<string, double[]>();
        foreach (int i in SessionRecipients.Parties(spec))
        {
            // The demo stands in for each recipient party's operator, fetching what that party received.
            partyModels[ids[i]] = await SessionClient.FetchModelAsync(running.Grains, spec, ClientSigner.Declaring(new OperatorIdentity(ids[i], "demo")));
        }
        var trails = new Dictionary<string, string[]>();
        foreach (string id in ids)
        {
            trails[id] = await running.Grains.GetGrain<IAuditLogGrain>(id).ExportAsync(ClientCredential.Declaring(ClientPurpose.ExportAudit, id, new OperatorIdentity(id, "demo")));
        }
        var budgets = new List<DemoBudget>();
        foreach (string id in ids)
        {
            // Each party's ledger as its own operator sees it: what this session spent there.
            BudgetStatement b = await running.Grains.GetGrain<IPrivacyBudgetGrain>(id).ShowAsync(ClientSigner.Declaring(new OperatorIdentity(id, "demo")).For(ClientPurpose.ShowBudget, id));
            budgets.Add(new DemoBudget(id, b.TotalEpsilon, b.SpentEpsilon, b.ReservedEpsilon, b.RemainingEpsilon,
                b.Sessions.FirstOrDefault(e => e.Session == spec.Session)?.State.ToString().ToLowerInvariant()));
        }
        return new DemoClusterRun(r, partyModels, policies, trails, SessionRecipients.Of(spec).ToArray(), budgets);
    }

    /// <summary>Each party's explicit permissive policy, declaring the public bounds of <paramref name="features"/> when given.</summary>
    public static PartyPolicy[] Policies(string[] ids, IReadOnlyList<string> features, double[]? lower, double[]? upper)
    {
        PartyPolicy[] policies = ids.Select(PartyPolicy.Permissive).ToArray();
        if (lower is null || upper is null)
        {
            return policies;
        }
        var declared = features.Select((f, j) => (f, j)).ToDictionary(x => x.f, x => (lower[x.j], upper[x.j]));
        return policies.Select(p => p with { Privacy = p.Privacy with { Bounds = declared } }).ToArray();
    }
}

/// <summary>What the demo's cluster run produced.</summary>
/// <param name="Report">The session's report as the demo's client received it (its weights empty unless the client is a recipient).</param>
/// <param name="PartyModels">The model each recipient party received.</param>
/// <param name="Policies">The policy each party's silo used.</param>
/// <param name="AuditTrails">Each party's exported audit trail (JSON lines).</param>
/// <param name="Recipients">Who received the model.</param>
/// <param name="Budgets">Each party's privacy budget ledger after the session.</param>
internal sealed record DemoClusterRun(SessionReport Report, IReadOnlyDictionary<string, double[]> PartyModels, IReadOnlyList<PartyPolicy> Policies,
    IReadOnlyDictionary<string, string[]> AuditTrails, string[] Recipients, IReadOnlyList<DemoBudget> Budgets);

/// <summary>report.json's <c>budgets</c>: one party's privacy budget ledger after the session (ε; null total: no limit).</summary>
/// <param name="Party">The party.</param>
/// <param name="TotalEpsilon">Its policy's total; null: none.</param>
/// <param name="SpentEpsilon">Spent over all sessions.</param>
/// <param name="ReservedEpsilon">Reserved by running sessions.</param>
/// <param name="RemainingEpsilon">What remains; null: no total.</param>
/// <param name="Session">This session's line: spent, reserved, refunded, or null (a non-DP session).</param>
internal sealed record DemoBudget(string Party, double? TotalEpsilon, double SpentEpsilon, double ReservedEpsilon, double? RemainingEpsilon, string? Session);
