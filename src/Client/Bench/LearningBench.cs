using SecureCompute.Client.Demo;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Policy;
using SecureCompute.Grains.Sessions;
using SecureCompute.Learning.Programs;
using Spectre.Console;

namespace SecureCompute.Client.Bench;

/// <summary>
/// <c>bench training --model softmax|mlp</c>: a learning-layer program timed three ways in one process — the plaintext
/// program (float64, exact functions), the simulator and the embedded cluster — as seconds per epoch, with the
/// held-out accuracy of the secure model beside the plaintext baseline's and the fidelity to the plaintext twin.
/// </summary>
internal static class LearningBench
{
    /// <summary>Runs the bench on <paramref name="parties"/>' rows with the session spec <paramref name="template"/>.</summary>
    public static async Task<LearningBenchResult> RunAsync(IReadOnlyList<PartyDataset> parties, string[] ids, SessionSpec template, int repeats,
        CancellationToken cancellationToken)
    {
        ProgramSpec program = SessionSpecs.ToProgram(template, parties[0].Columns);
        ProgramTimes times = ProgramTiming.Run(DemoData.Rows(parties, ids), program, repeats);
        SiloIdentity[] identities = ids.Select((id, i) => SiloIdentity.ForParty(id, _ => parties[i]).WithPolicy(PartyPolicy.Permissive(id)))
            .Append(SiloIdentity.ForDealer()).ToArray();
        ClientSigner client = ClientSigner.Declaring(new OperatorIdentity(ids[0], "bench"));
        SessionReport? report = null;
        await using (BenchCluster cluster = await BenchCluster.StartAsync("cluster", identities, null, null, cancellationToken))
        {
            for (int run = 0; run <= repeats; run++)
            {
                report = await cluster.RunAsync(run, repeats, template, client, cancellationToken);
            }
            var figures = new LearningBenchResult(template.Model.Name(), program.Epochs, repeats, Environment.ProcessorCount, cluster.Rounds, cluster.RoundsPerStep,
                times.PlaintextSecondsPerEpoch, times.SimulatorSecondsPerEpoch, BenchOutput.Median(cluster.Epoch), BenchOutput.Median(cluster.Wall), cluster.StartupSeconds,
                report!.HeldOutAccuracy, times.Exact.HeldOut?.Accuracy, times.MaxAbsWeightDiff, report.BytesOpened / (double)program.Epochs / parties.Count);
            var table = new Table().Title(Markup.Escape($"{template.Model.Name()}: {parties.Count} parties, {parties.Sum(p => p.Rows)} rows, {program.Epochs} epochs, {Environment.ProcessorCount} cores"))
                .AddColumn("engine").AddColumn(new TableColumn("s / epoch").RightAligned()).AddColumn(new TableColumn("× plaintext").RightAligned());
            table.AddRow("plaintext float64 (the same program, exact functions)", $"{figures.PlaintextSecondsPerEpoch:F4}", "1");
            table.AddRow("simulator (parties one after another)", $"{figures.SimulatorSecondsPerEpoch:F3}", $"{figures.SimulatorSecondsPerEpoch / figures.PlaintextSecondsPerEpoch:F0}");
            table.AddRow("embedded cluster (party 0's program)", $"{figures.ClusterSecondsPerEpoch:F3}", $"{figures.ClusterSecondsPerEpoch / figures.PlaintextSecondsPerEpoch:F0}");
            table.AddRow("embedded cluster (client wall clock)", $"{figures.ClusterWallSecondsPerEpoch:F3}", $"{figures.ClusterWallSecondsPerEpoch / figures.PlaintextSecondsPerEpoch:F0}");
            AnsiConsole.Write(table);
            Console.WriteLine($"held-out accuracy: secure {figures.HeldOutAccuracy:P2}, plaintext {figures.PlaintextHeldOutAccuracy:P2}; max |Δw| vs the same program in float64 {figures.MaxAbsWeightDiff:E2}");
            Console.WriteLine($"rounds {figures.Rounds:N0} ({figures.RoundsPerStep:F0} per step); {figures.BytesPerPartyPerEpoch:N0} bytes opened per party per epoch; cluster start-up {figures.ClusterStartupSeconds:F1} s (not in the figures)");
            return figures;
        }
    }
}

/// <summary>The figures of <c>bench training</c> for a learning-layer model (medians, seconds per epoch).</summary>
internal sealed record LearningBenchResult(string Model, int Epochs, int Repeats, int Threads, long Rounds, double RoundsPerStep, double PlaintextSecondsPerEpoch,
    double SimulatorSecondsPerEpoch, double ClusterSecondsPerEpoch, double ClusterWallSecondsPerEpoch, double ClusterStartupSeconds, double? HeldOutAccuracy,
    double? PlaintextHeldOutAccuracy, double MaxAbsWeightDiff, double BytesPerPartyPerEpoch);
