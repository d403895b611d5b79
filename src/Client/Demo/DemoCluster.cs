using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Training;
using SecureCompute.Silo.Embedded;
using Spectre.Console;

namespace SecureCompute.Client.Demo;

/// <summary>The demo's cluster: a silo per party (each given only its own rows) and a dealer silo, in this process.</summary>
internal static class DemoCluster
{
    /// <summary>Starts the cluster, runs one session with a progress bar, stops the cluster; returns the secure result.</summary>
    /// <remarks>The session's secret seeds derive from the demo's <c>--seed</c> (reproducible demo; a deployment draws fresh ones).</remarks>
    public static async Task<TrainingResult> TrainAsync(string[] ids, IReadOnlyList<PartyDataset> parties, TrainingSpec spec, string session,
        CancellationToken cancellationToken)
    {
        var identities = ids.Select((id, i) => SiloIdentity.ForParty(id, _ => parties[i])).Append(SiloIdentity.ForDealer()).ToArray();
        EmbeddedCluster? cluster = null;
        await AnsiConsole.Status().StartAsync($"starting {identities.Length} silos", async _ =>
            cluster = await EmbeddedCluster.StartAsync(identities, cancellationToken: cancellationToken, allowReproducibleSeeds: true));
        await using EmbeddedCluster running = cluster!;
        var sessionSpec = new SessionSpec(session, ids, parties[0].LabelName, spec.Model.ToString().ToLowerInvariant(), spec.Epochs, spec.BatchSize,
            spec.LearningRate, spec.Seed, spec.SigmoidDegree, ReproducibleSeed: spec.Seed);
        SessionReport r = await SessionProgressBar.RunAsync(running.Grains, sessionSpec, cancellationToken);
        return new TrainingResult(r.Weights, new Standardisation(r.Means, r.StandardDeviations), r.Steps, r.Rounds, r.RoundsPerStep, r.BytesOpened,
            r.DealerBytes, r.Seconds, r.EpochLoss);
    }
}
