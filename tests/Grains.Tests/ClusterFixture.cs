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
    /// A party whose rows pass the schema's checks but whose program refuses them mid-session: one of its labels is 2,
    /// and logistic regression, which each party's program checks its own labels for, takes 0 or 1 only.
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
            .Append(FailingInItsProgram())
            // These tests are about the protocol, not policy: every party admits every session (tests/Grains.Tests/Governance has the policies).
            .Select(i => i.Party is { } party ? i.WithPolicy(SecureCompute.Grains.Policy.PartyPolicy.Permissive(party)) : i)
            .Append(SiloIdentity.ForDealer()).ToArray();
        Cluster = await EmbeddedCluster.StartAsync(identities, silo => silo.ConfigureServices(s =>
        {
            s.AddSingleton<ICoordinatorTap>(Tap);
            s.AddSingleton<ILoggerProvider>(Logs);
        }), LogLevel.Information, allowReproducibleSeeds: true);
    }

    private static SiloIdentity FailingInItsProgram()
    {
        string file = RepositoryData.File("breast-cancer", "hospital-3");
        return SiloIdentity.ForParty(Failing, label =>
        {
            Data.PartyDataset rows = Data.CsvDataset.Load(file, label);
            double[] labels = (double[])rows.Labels.Clone();
            labels[FailingRow] = 2;
            return rows with { Labels = labels };
        });
    }

    /// <summary>The row of <see cref="Failing"/>'s file whose label is 2.</summary>
    public const int FailingRow = 16;

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
