using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using SecureCompute.Grains.Authorization;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Dealing;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Interfaces.Wire;
using SecureCompute.Silo.Security;
using Xunit.Abstractions;

namespace SecureCompute.Silo.Tests;

/// <summary>
/// A consortium member's client, with a valid client certificate, tries every internal grain method on a live session
/// (3 party silo processes + a dealer silo process, TLS, Redis): every call is refused, nothing changes, and the
/// session ends with the model of an undisturbed run (the simulator's, bit for bit).
/// </summary>
public sealed class HostileClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ProcessClusterFixture cluster = ProcessClusterFixture.WithTls();

    public Task InitializeAsync() => cluster.InitializeAsync();

    public Task DisposeAsync() => cluster.DisposeAsync();

    /// <summary>
    /// Every method of every grain interface (found by reflection, so a method added later is covered) whose rule is not
    /// public API, called with plausible arguments on the live session's own grains: each is refused with
    /// <see cref="CallRefusedException"/> naming the method and the caller's role, and the session completes with the
    /// undisturbed model.
    /// </summary>
    [Fact]
    public async Task EveryInternalMethodIsRefusedToAClientAndTheSessionStillEndsWithTheSameModel()
    {
        const long seed = 41;
        var spec = new SessionSpec($"hostile-{Guid.NewGuid():N}"[..20], ProcessClusterFixture.Hospitals, "benign", Epochs: 6, ReproducibleSeed: seed);
        Task<SessionReport> run = SessionClient.RunAsync(cluster.Grains, spec, client: cluster.Operator);
        ITrainingSessionGrain coordinator = cluster.Grains.GetGrain<ITrainingSessionGrain>(spec.Session);
        DateTime deadline = DateTime.UtcNow.AddSeconds(120);
        while ((await coordinator.GetProgressAsync(cluster.Operator.For(ClientPurpose.Observe, spec.Session))).EpochLoss.Length == 0)
        {
            Assert.False(run.IsCompleted, "the session ended before the probes could run");
            Assert.True(DateTime.UtcNow < deadline, "the session released no epoch loss within 120 s");
            await Task.Delay(50);
        }

        ConsortiumTls tls = ConsortiumTls.Load(cluster.Certificate("client"), cluster.Key("client"), Path.Combine(cluster.Certificates, "ca.crt"));
        using IHost hostile = cluster.Client(tls);
        await hostile.StartAsync();
        var grains = (IGrainFactory)hostile.Services.GetService(typeof(IGrainFactory))!;
        string silo = (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.First().ToParsableString();

        MethodInfo[] probed = ProbedMethods().ToArray();
        Assert.True(probed.Length >= 15, $"only {probed.Length} internal methods found");
        var plan = new SessionPlan(spec, Array.Empty<PartySchemaInfo>());
        foreach (MethodInfo method in probed)
        {
            Type grainInterface = method.DeclaringType!;
            object grain = GetGrain(grains, grainInterface, KeyFor(grainInterface, spec.Session, silo));
            object?[] arguments = method.GetParameters().Select(p => Plausible(p.ParameterType, spec, plan)).ToArray();
            Exception? refused = null;
            try
            {
                await ((Task)method.Invoke(grain, arguments)!).WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception e)
            {
                refused = e;
            }
            string name = $"{grainInterface.Name}.{method.Name}";
            CallRefusedException refusal = Assert.IsType<CallRefusedException>(refused);
            Assert.Equal(name, refusal.Method);
            Assert.Contains("the caller is a client", refusal.Message);
            output.WriteLine($"{name}: {refusal.Message}");
        }
        await hostile.StopAsync();

        SessionReport report = await run.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(InProcessReference.Program(spec, seed).Weights, report.Weights);
        Assert.Equal(0, (await coordinator.GetProgressAsync(cluster.Operator.For(ClientPurpose.Observe, spec.Session))).Resumes);
    }

    /// <summary>Every method of our grain interfaces whose rule is not public session API (no rule: refused to all, so probed too).</summary>
    private static IEnumerable<MethodInfo> ProbedMethods() =>
        ProtocolRules.Interfaces.GetTypes().Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t))
            .SelectMany(t => t.GetMethods())
            .Where(m => !(ProtocolRules.All.TryGetValue(m, out CallRule? rule) && rule.Public));

    private static string KeyFor(Type grainInterface, string session, string silo) =>
        grainInterface == typeof(IPartySessionGrain) ? PartySessionKey.Of(session, "hospital-2")
        : grainInterface == typeof(IPartyGrain) || grainInterface == typeof(IAuditLogGrain) || grainInterface == typeof(Grains.Interfaces.Privacy.IPrivacyBudgetGrain) ? "hospital-1"
        : grainInterface == typeof(ISiloAttestationGrain) ? silo
        : session;

    private static object GetGrain(IGrainFactory grains, Type grainInterface, string key)
    {
        MethodInfo get = typeof(IGrainFactory).GetMethods().Single(m => m.Name == nameof(IGrainFactory.GetGrain) && m.IsGenericMethod
            && m.GetParameters().Length == 2 && m.GetParameters()[0].ParameterType == typeof(string));
        return get.MakeGenericMethod(grainInterface).Invoke(grains, new object?[] { key, null })!;
    }

    /// <summary>An argument a hostile client would send: what the protocol's own callers send, with values of its choosing.</summary>
    private static object? Plausible(Type type, SessionSpec spec, SessionPlan plan)
    {
        var tensor = new RingTensor(new long[] { 31, 1 }, RandomNumberGenerator.GetBytes(31 * sizeof(long)));
        return type switch
        {
            _ when type == typeof(int) => 0,
            _ when type == typeof(long) => 0L,
            _ when type == typeof(double) => 0.5,
            _ when type == typeof(string) => "probe",
            _ when type == typeof(byte[]) => RandomNumberGenerator.GetBytes(16),
            _ when type == typeof(SessionSpec) => spec,
            _ when type == typeof(SessionPlan) => plan,
            _ when type == typeof(OpenContribution) => new OpenContribution(0, "probe", false, new[] { tensor }),
            _ when type == typeof(CheckpointData) => new CheckpointData(1, tensor, 0, new[] { 0.5 }),
            _ when type == typeof(MaterialOrder) => new MaterialOrder(0, 0, new long[] { 1 }, new long[] { 1 }, 0),
            _ when type == typeof(SessionReport) => new SessionReport(new[] { 1.0 }, new[] { 0.0 }, new[] { 1.0 }, new[] { "x" }, 1, 1, 1, 16, 0, 0.1, new[] { 0.5 }),
            _ when type == typeof(AuditRecord) => new AuditRecord(AuditEventKind.Release, spec.Session, new[] { KeyValuePair.Create("kind", "model") }),
            _ when type == typeof(ClientCredential) => ClientCredential.Declaring(ClientPurpose.Start, spec.Session, new OperatorIdentity("hospital-1", "mallory")),
            _ => type.IsValueType ? Activator.CreateInstance(type) : null,
        };
    }
}
