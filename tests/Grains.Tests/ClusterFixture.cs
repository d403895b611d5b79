using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Sessions;
using SecureCompute.Silo.Embedded;

namespace SecureCompute.Grains.Tests;

/// <summary>
/// One in-process cluster for the cluster tests: a silo per breast-cancer hospital, a silo per diabetes clinic, and a
/// dealer silo; every silo records what its coordinators receive in <see cref="Tap"/>.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The hospitals' party ids (the files' names).</summary>
    public static readonly string[] Hospitals = { "hospital-1", "hospital-2", "hospital-3" };

    /// <summary>The clinics' party ids.</summary>
    public static readonly string[] Clinics = { "clinic-1", "clinic-2", "clinic-3" };

    /// <summary>An operator of <paramref name="spec"/>'s first party (development identity, believed without TLS): a recipient of its model by default.</summary>
    public static Interfaces.Governance.ClientSigner OperatorOf(Interfaces.Sessions.SessionSpec spec) =>
        Interfaces.Governance.ClientSigner.Declaring(new Interfaces.Governance.OperatorIdentity(spec.Parties[0], "tester"));

    /// <summary>
    /// A party whose silo describes its rows but fails when its program reads them (a disk gone mid-session): every
    /// second read fails, and a session reads twice (the schema, then the program).
    /// </summary>
    public const string Failing = "failing-1";

    /// <summary>What every coordinator received.</summary>
    public RecordingTap Tap { get; } = new();

    /// <summary>Every log line every silo wrote (information and up), formatted, with its exception's message.</summary>
    public RecordingLogs Logs { get; } = new();

    /// <summary>The running cluster.</summary>
    public EmbeddedCluster Cluster { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var identities = Hospitals.Select(h => SiloIdentity.ForParty(h, RepositoryData.File("breast-cancer", h)))
            .Concat(Clinics.Select(c => SiloIdentity.ForParty(c, RepositoryData.File("diabetes", c))))
            .Append(FailingOnSecondRead())
            // These tests are about the protocol, not policy: every party admits every session (tests/Grains.Tests/Governance has the policies).
            .Select(i => i.Party is { } party ? i.WithPolicy(SecureCompute.Grains.Policy.PartyPolicy.Permissive(party)) : i)
            .Append(SiloIdentity.ForDealer()).ToArray();
        Cluster = await EmbeddedCluster.StartAsync(identities, silo => silo.ConfigureServices(s =>
        {
            s.AddSingleton<ICoordinatorTap>(Tap);
            s.AddSingleton<ILoggerProvider>(Logs);
        }), LogLevel.Information, allowReproducibleSeeds: true);
    }

    private static SiloIdentity FailingOnSecondRead()
    {
        int reads = 0;
        string file = RepositoryData.File("breast-cancer", "hospital-3");
        return SiloIdentity.ForParty(Failing, label => Interlocked.Increment(ref reads) % 2 == 1
            ? Data.CsvDataset.Load(file, label)
            : throw new IOException("the data volume is no longer readable"));
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Records everything coordinators receive, per session.</summary>
public sealed class RecordingTap : ICoordinatorTap
{
    /// <summary>Open messages per session, in arrival order.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<(int Party, OpenContribution Message)>> Messages { get; } = new();

    /// <summary>Other things received per session (schemas, losses, reports, errors).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<object>> Releases { get; } = new();

    /// <inheritdoc />
    public void Received(string session, int party, OpenContribution message) => Messages.GetOrAdd(session, _ => new()).Enqueue((party, message));

    /// <inheritdoc />
    public void Received(string session, int party, object release) => Releases.GetOrAdd(session, _ => new()).Enqueue(release);
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>Keeps every formatted log line (and exception message) of the silos.</summary>
public sealed class RecordingLogs : ILoggerProvider
{
    /// <summary>The lines so far.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Recorder(RecordingLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception?.Message}");
    }
}
