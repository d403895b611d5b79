using Microsoft.Extensions.DependencyInjection;
using SecureCompute.Client.Demo;
using SecureCompute.Grains.Audit;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Policy;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;
using SecureCompute.Silo.Security;
using Spectre.Console;

namespace SecureCompute.Client.Bench;

/// <summary>
/// <c>bench training</c> on the default demo's workload (breast cancer, 3 parties, logistic, batch 64), timed three ways
/// in one process — the plaintext program (float64), the simulator, and the embedded cluster with its audit trail on and off (the
/// trail's cost), optionally with mutual TLS — as seconds per epoch and ratios.
/// </summary>
internal static class LogisticBench
{
    /// <summary>The default demo's label column.</summary>
    public const string Label = "benign";

    /// <summary>The default demo's parties' rows, one data set per file in file-name order.</summary>
    public static PartyDataset[] LoadDemoData() =>
        Directory.GetFiles(DemoCommand.FindDefaultData().FullName, "*.csv").Order(StringComparer.Ordinal).Select(f => CsvDataset.Load(f, Label)).ToArray();

    /// <summary>Runs the bench of <paramref name="template"/> (its parties are the data's) and prints its table; writes <paramref name="json"/> when given; returns the exit code.</summary>
    public static async Task<int> RunAsync(SessionSpec template, int repeats, FileInfo? json, bool tls, CancellationToken cancellationToken)
    {
        PartyDataset[] parties = LoadDemoData();
        string[] ids = parties.Select(p => Path.GetFileNameWithoutExtension(p.Source)).ToArray();
        SessionSpec spec = template with { Parties = ids, Label = Label };
        ProgramTimes times = ProgramTiming.Run(DemoData.Rows(parties, ids), SessionSpecs.ToProgram(spec, parties[0].Columns), repeats);
        // An anonymous client is refused by the restrictive default policy: the bench's silos are permissive, as the demo's,
        // and its client declares itself an operator of the first party (no TLS: declared, not proven).
        SiloIdentity[] identities = ids.Select((id, i) => SiloIdentity.ForParty(id, _ => parties[i]).WithPolicy(PartyPolicy.Permissive(id)))
            .Append(SiloIdentity.ForDealer()).ToArray();
        ClientSigner client = ClientSigner.Declaring(new OperatorIdentity(ids[0], "bench"));
        var (audited, unaudited) = await TimeAuditOnAndOffAsync(identities, spec, repeats, client, cancellationToken);
        double? tlsSeconds = null;
        if (tls)
        {
            string certificates = Directory.CreateTempSubdirectory("securecompute-bench-tls-").FullName;
            try
            {
                DevelopmentCertificates.Write(certificates, ids);
                string[] names = ids.Append("dealer").ToArray();
                ConsortiumTls[] material = names.Select(n => ConsortiumTls.Load(Path.Combine(certificates, n + ".crt"), Path.Combine(certificates, n + ".key"),
                    Path.Combine(certificates, "ca.crt"))).ToArray();
                await using BenchCluster secured = await BenchCluster.StartAsync("cluster with mutual TLS", identities, null,
                    (silo, i) => TlsSetup.Apply(silo, material[i]), cancellationToken);
                for (int run = 0; run <= repeats; run++)
                {
                    await secured.RunAsync(run, repeats, spec, client, cancellationToken);
                }
                tlsSeconds = BenchOutput.Median(secured.Epoch);
            }
            finally
            {
                Directory.Delete(certificates, recursive: true);
            }
        }
        // Each on run has its off run beside it in time: the median of those pairs' ratios, before the medians sort the lists.
        double auditRatio = BenchOutput.Median(audited.Epoch.Zip(unaudited.Epoch, (on, off) => on / off).ToList());
        double auditWallRatio = BenchOutput.Median(audited.Wall.Zip(unaudited.Wall, (on, off) => on / off).ToList());
        Console.Error.WriteLine($"bench: audit trail on / off per pair: {string.Join(", ", audited.Epoch.Zip(unaudited.Epoch, (on, off) => $"{on:F3}/{off:F3}"))}");
        double auditOn = BenchOutput.Median(audited.Epoch), auditOff = BenchOutput.Median(unaudited.Epoch);
        double auditOnWall = BenchOutput.Median(audited.Wall), auditOffWall = BenchOutput.Median(unaudited.Wall);
        var figures = new TrainingBenchResult(spec.Epochs, repeats, Environment.ProcessorCount, audited.Rounds, audited.RoundsPerStep, times.PlaintextSecondsPerEpoch,
            times.SimulatorSecondsPerEpoch, auditOn, auditOnWall, audited.StartupSeconds, tlsSeconds, auditOff, auditOffWall, auditRatio, auditWallRatio);
        var table = new Table().Title(Markup.Escape($"default demo workload: {parties.Length} parties, {parties.Sum(p => p.Rows)} rows, {spec.Epochs} epochs, {Environment.ProcessorCount} cores"))
            .AddColumn("engine").AddColumn(new TableColumn("s / epoch").RightAligned()).AddColumn(new TableColumn("× plaintext").RightAligned())
            .AddColumn(new TableColumn("× simulator").RightAligned());
        table.AddRow("plaintext float64 (pooled rows)", $"{figures.PlaintextSecondsPerEpoch:F4}", "1", "");
        table.AddRow("simulator (parties one after another)", $"{figures.SimulatorSecondsPerEpoch:F3}", $"{figures.SimulatorSecondsPerEpoch / figures.PlaintextSecondsPerEpoch:F0}", "1");
        table.AddRow("embedded cluster (party 0's program)", $"{figures.ClusterSecondsPerEpoch:F3}", $"{figures.ClusterSecondsPerEpoch / figures.PlaintextSecondsPerEpoch:F0}",
            $"{figures.ClusterSecondsPerEpoch / figures.SimulatorSecondsPerEpoch:F2}");
        table.AddRow("embedded cluster (client wall clock)", $"{figures.ClusterWallSecondsPerEpoch:F3}", $"{figures.ClusterWallSecondsPerEpoch / figures.PlaintextSecondsPerEpoch:F0}",
            $"{figures.ClusterWallSecondsPerEpoch / figures.SimulatorSecondsPerEpoch:F2}");
        if (figures.ClusterTlsSecondsPerEpoch is { } withTls)
        {
            table.AddRow("embedded cluster, mutual TLS (party 0's program)", $"{withTls:F3}", $"{withTls / figures.PlaintextSecondsPerEpoch:F0}",
                $"{withTls / figures.SimulatorSecondsPerEpoch:F2} ({withTls / figures.ClusterSecondsPerEpoch:F2}× without TLS)");
        }
        table.AddRow("embedded cluster, audit trail off (party 0's program)", $"{auditOff:F3}", $"{auditOff / figures.PlaintextSecondsPerEpoch:F0}",
            $"{auditOff / figures.SimulatorSecondsPerEpoch:F2}");
        table.AddRow("embedded cluster, audit trail off (client wall clock)", $"{auditOffWall:F3}", $"{auditOffWall / figures.PlaintextSecondsPerEpoch:F0}",
            $"{auditOffWall / figures.SimulatorSecondsPerEpoch:F2}");
        AnsiConsole.Write(table);
        Console.WriteLine($"audit trail on / off (median of {repeats} back-to-back pairs): {figures.AuditRatio:F3} (party 0's program), {figures.AuditWallRatio:F3} (client wall clock); goal ≤ 1.05");
        Console.WriteLine($"rounds {figures.Rounds:N0} ({figures.RoundsPerStep:F0} per step); cluster start-up {audited.StartupSeconds:F1} s (not in the figures)");
        BenchOutput.WriteJson(figures, json);
        return 0;
    }

    /// <summary>
    /// The audit trail's cost: the default cluster (trail on) and one with the trail off on every silo, their sessions
    /// alternated — on, off; off, on; ... — so that both see the same drift of this shared machine. Both clusters are
    /// stopped on return; their figures stay.
    /// </summary>
    private static async Task<(BenchCluster On, BenchCluster Off)> TimeAuditOnAndOffAsync(SiloIdentity[] identities, SessionSpec spec,
        int repeats, ClientSigner client, CancellationToken cancellationToken)
    {
        await using BenchCluster on = await BenchCluster.StartAsync("cluster", identities, null, null, cancellationToken);
        await using BenchCluster off = await BenchCluster.StartAsync("cluster with the audit trail off", identities,
            silo => silo.Services.Configure<AuditOptions>(o => o.Enabled = false), null, cancellationToken);
        for (int run = 0; run <= repeats; run++)
        {
            foreach (BenchCluster next in run % 2 == 0 ? new[] { on, off } : new[] { off, on })
            {
                await next.RunAsync(run, repeats, spec, client, cancellationToken);
            }
        }
        return (on, off);
    }
}

/// <summary>
/// The figures of <c>bench training</c> (medians, seconds per epoch; the cluster's with the audit trail on). The audit
/// ratios are on over off, the median over pairs of sessions run back to back: party 0's program time, and the
/// client's wall clock.
/// </summary>
internal sealed record TrainingBenchResult(int Epochs, int Repeats, int Threads, long Rounds, double RoundsPerStep, double PlaintextSecondsPerEpoch,
    double SimulatorSecondsPerEpoch, double ClusterSecondsPerEpoch, double ClusterWallSecondsPerEpoch, double ClusterStartupSeconds,
    double? ClusterTlsSecondsPerEpoch, double ClusterAuditOffSecondsPerEpoch, double ClusterAuditOffWallSecondsPerEpoch, double AuditRatio,
    double AuditWallRatio);
