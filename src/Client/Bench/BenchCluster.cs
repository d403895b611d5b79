using System.Diagnostics;
using Orleans.Hosting;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Silo.Embedded;

namespace SecureCompute.Client.Bench;

/// <summary>One embedded cluster of <c>bench training</c> and the sessions timed on it, in seconds per epoch.</summary>
/// <remarks>
/// Several can run in one process, so that two configurations are timed in alternation: on this 2-core machine the
/// speed drifts by more than the differences measured, and alternating shares the drift between them.
/// </remarks>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly EmbeddedCluster cluster;

    private BenchCluster(string name, EmbeddedCluster started, double startupSeconds)
    {
        Name = name;
        cluster = started;
        StartupSeconds = startupSeconds;
    }

    /// <summary>What the progress lines call this cluster.</summary>
    public string Name { get; }

    /// <summary>Seconds from the first silo's start to the last one's joining (not in the figures).</summary>
    public double StartupSeconds { get; }

    /// <summary>Party 0's program time per epoch, one value per timed session.</summary>
    public List<double> Epoch { get; } = new();

    /// <summary>The client's wall clock per epoch (start to report, the model's fetch included), one value per timed session.</summary>
    public List<double> Wall { get; } = new();

    /// <summary>Rounds of the last timed session.</summary>
    public long Rounds { get; private set; }

    /// <summary>Rounds per training step of the last timed session.</summary>
    public double RoundsPerStep { get; private set; }

    /// <summary>Starts the silos of <paramref name="identities"/>, each configured by the callbacks as in <see cref="EmbeddedCluster.StartAsync"/>.</summary>
    public static async Task<BenchCluster> StartAsync(string name, IReadOnlyList<SiloIdentity> identities, Action<ISiloBuilder>? configureSilo,
        Action<ISiloBuilder, int>? configureEach, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"bench: starting the embedded {name} ...");
        var start = Stopwatch.StartNew();
        EmbeddedCluster started = await EmbeddedCluster.StartAsync(identities, configureSilo, cancellationToken: cancellationToken, configureEach: configureEach);
        return new BenchCluster(name, started, start.Elapsed.TotalSeconds);
    }

    /// <summary>Runs one session like <paramref name="template"/> (under a fresh id); run 0 is the warm-up and is not recorded.</summary>
    public async Task<SessionReport> RunAsync(int run, int repeats, SessionSpec template, ClientSigner client, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"bench: {Name}, run {run} of {repeats} (0 = warm-up) ...");
        var clock = Stopwatch.StartNew();
        SessionSpec session = template with { Session = $"bench-{run}-{Guid.NewGuid():N}"[..20] };
        SessionReport report = await SessionClient.RunAsync(cluster.Grains, session, cancellationToken: cancellationToken, client: client);
        if (run > 0)
        {
            Epoch.Add(report.Seconds / template.Epochs);
            Wall.Add(clock.Elapsed.TotalSeconds / template.Epochs);
            Rounds = report.Rounds;
            RoundsPerStep = report.RoundsPerStep;
        }
        return report;
    }

    /// <summary>Runs <paramref name="session"/> as <paramref name="client"/> and returns its report; nothing is recorded here.</summary>
    public Task<SessionReport> RunSessionAsync(SessionSpec session, ClientSigner client, CancellationToken cancellationToken) =>
        SessionClient.RunAsync(cluster.Grains, session, cancellationToken: cancellationToken, client: client);

    /// <summary>Stops the silos.</summary>
    public ValueTask DisposeAsync() => cluster.DisposeAsync();
}
