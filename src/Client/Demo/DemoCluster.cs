using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Policy;
using SecureCompute.Grains.Training;
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
    /// <param name="spec">The hyper-parameters.</param>
    /// <param name="session">The session id.</param>
    /// <param name="recipients">Who receives the model (null: every party and the demo's client).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <param name="learning">Classes, hidden widths and held-out fraction of a softmax or MLP model (null: logistic or linear).</param>
    public static async Task<DemoClusterRun> TrainAsync(string[] ids, IReadOnlyList<PartyDataset> parties, TrainingSpec spec, string session,
        string[]? recipients, CancellationToken cancellationToken, (int Classes, int[]? Hidden, double HeldOutFraction)? learning = null)
    {
        PartyPolicy[] policies = ids.Select(PartyPolicy.Permissive).ToArray();
        var identities = ids.Select((id, i) => SiloIdentity.ForParty(id, _ => parties[i]).WithPolicy(policies[i])).Append(SiloIdentity.ForDealer()).ToArray();
        EmbeddedCluster? cluster = null;
        await AnsiConsole.Status().StartAsync($"starting {identities.Length} silos", async _ =>
            cluster = await EmbeddedCluster.StartAsync(identities, cancellationToken: cancellationToken, allowReproducibleSeeds: true));
        await using EmbeddedCluster running = cluster!;
        var sessionSpec = new SessionSpec(session, ids, parties[0].LabelName, spec.Model, spec.Epochs, spec.BatchSize,
            spec.LearningRate, spec.Seed, spec.SigmoidDegree, ReproducibleSeed: spec.Seed, Recipients: recipients ?? ids.Append(Client.ToString()).ToArray())
        {
            Classes = learning?.Classes ?? 0,
            Hidden = learning?.Hidden,
            HeldOutFraction = learning?.HeldOutFraction ?? 0.2,
        };
        SessionReport r = await SessionProgressBar.RunAsync(running.Grains, sessionSpec, ClientSigner.Declaring(Client), cancellationToken);
        var partyModels = new Dictionary<string, double[]>();
        foreach (int i in SessionRecipients.Parties(sessionSpec))
        {
            // The demo stands in for each recipient party's operator, fetching what that party received.
            partyModels[ids[i]] = await SessionClient.FetchModelAsync(running.Grains, sessionSpec, ClientSigner.Declaring(new OperatorIdentity(ids[i], "demo")));
        }
        var trails = new Dictionary<string, string[]>();
        foreach (string id in ids)
        {
            trails[id] = await running.Grains.GetGrain<IAuditLogGrain>(id).ExportAsync(ClientCredential.Declaring(ClientPurpose.ExportAudit, id, new OperatorIdentity(id, "demo")));
        }
        var result = new TrainingResult(r.Weights, new Standardisation(r.Means, r.StandardDeviations), r.Steps, r.Rounds, r.RoundsPerStep, r.BytesOpened,
            r.DealerBytes, r.Seconds, r.EpochLoss);
        return new DemoClusterRun(result, partyModels, policies, trails, SessionRecipients.Of(sessionSpec).ToArray(), r);
    }
}

/// <summary>What the demo's cluster run produced.</summary>
/// <param name="Secure">The report as the demo's client received it (its weights empty unless the client is a recipient).</param>
/// <param name="PartyModels">The model each recipient party received.</param>
/// <param name="Policies">The policy each party's silo used.</param>
/// <param name="AuditTrails">Each party's exported audit trail (JSON lines).</param>
/// <param name="Recipients">Who received the model.</param>
/// <param name="Report">The session's report as the client received it (held-out figures, parameter layout).</param>
internal sealed record DemoClusterRun(TrainingResult Secure, IReadOnlyDictionary<string, double[]> PartyModels, IReadOnlyList<PartyPolicy> Policies,
    IReadOnlyDictionary<string, string[]> AuditTrails, string[] Recipients, SessionReport Report);
