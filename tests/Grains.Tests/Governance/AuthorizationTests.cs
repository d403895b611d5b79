using System.Diagnostics.Metrics;
using SecureCompute.Grains.Authorization;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Mpc.Diagnostics;

namespace SecureCompute.Grains.Tests.Governance;

/// <summary>
/// The authorization boundary in-process: code on a party's silo that is not the role a method names is refused (the
/// refusal named, counted and audited); null arguments are refused before the grain runs; every method of every grain
/// interface has a rule.
/// </summary>
[Collection(GovernanceCollection.Name)]
public sealed class AuthorizationTests(GovernanceFixture fixture)
{
    /// <summary>
    /// Every method of our grain interfaces has a rule, so a method added later without one fails here (and, until
    /// someone decides who may call it, is refused to everyone at the boundary).
    /// </summary>
    [Fact]
    public void EveryGrainMethodHasARule()
    {
        var methods = ProtocolRules.Interfaces.GetTypes().Where(t => t.IsInterface && (typeof(IGrain).IsAssignableFrom(t) || typeof(IGrainObserver).IsAssignableFrom(t))).SelectMany(t => t.GetMethods()).ToArray();
        Assert.True(methods.Length >= 30, $"only {methods.Length} methods found");
        Assert.Empty(methods.Where(m => !ProtocolRules.All.ContainsKey(m)).Select(m => $"{m.DeclaringType!.Name}.{m.Name}"));
    }

    /// <summary>
    /// hospital-1's silo code (not the dealer) tries to give hospital-2's party session grain a material seed: refused with the
    /// method and the caller's role, counted in securecompute.calls_refused by method, and in hospital-2's audit trail.
    /// </summary>
    [Fact]
    public async Task AnotherPartysSiloCannotHandOutSeedsAndTheRefusalIsCountedAndAudited()
    {
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MpcDiagnostics.SourceName && instrument.Name == "securecompute.calls_refused")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == MpcDiagnostics.MethodTag && (string?)tag.Value == "IPartySessionGrain.AcceptMaterialSeedAsync")
                {
                    Interlocked.Add(ref counted, value);
                }
            }
        });
        listener.Start();

        string session = $"probe-{Guid.NewGuid():N}"[..20];
        IPartySessionGrain target = fixture.Cluster.Grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of(session, "hospital-2"));
        var refused = await Assert.ThrowsAsync<CallRefusedException>(() => target.AcceptMaterialSeedAsync(new byte[16]));
        Assert.Equal("IPartySessionGrain.AcceptMaterialSeedAsync", refused.Method);
        Assert.Contains("the session's dealer", refused.Message);
        Assert.Contains("code on a silo", refused.Message);
        Assert.True(Interlocked.Read(ref counted) >= 1, "the refusal was not counted");

        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await fixture.TrailAsync("hospital-2")).Any(e => e.Kind == nameof(AuditEventKind.CallRefused) && e.Fields["method"] == refused.Method))
        {
            Assert.True(DateTime.UtcNow < deadline, "hospital-2's trail records no refused call");
            await Task.Delay(100);
        }
    }

    /// <summary>A null where the interface wants a value is an ArgumentNullException naming the parameter — never a NullReferenceException — and no session starts.</summary>
    [Fact]
    public async Task NullArgumentsAreRefusedBeforeTheGrainRuns()
    {
        string session = $"null-{Guid.NewGuid():N}"[..20];
        ITrainingSessionGrain coordinator = fixture.Cluster.Grains.GetGrain<ITrainingSessionGrain>(session);
        var missing = await Assert.ThrowsAsync<ArgumentNullException>(() => coordinator.StartAsync(null!, ClientCredential.Declaring(ClientPurpose.Start, session, null)));
        Assert.Equal("spec", missing.ParamName);
        await Assert.ThrowsAsync<ArgumentNullException>(() => coordinator.StartAsync(new SessionSpec(session, GovernanceFixture.Hospitals, "benign"), null!));
        Assert.Equal(SessionState.None, (await coordinator.GetProgressAsync(ClientCredential.Declaring(ClientPurpose.Observe, session, null))).State);
    }

    /// <summary>
    /// The losses and statistics go to the session's starter and its parties' operators: an observer who is neither
    /// sees the state and counts, no loss, no mean; the starter sees them all.
    /// </summary>
    [Fact]
    public async Task OnlyTheStarterAndThePartiesOperatorsSeeTheReleasedLosses()
    {
        var spec = new SessionSpec($"observed-{Guid.NewGuid():N}"[..20], new[] { "hospital-1", "hospital-2" }, "benign", Epochs: 2, BatchSize: 16);
        await SessionClient.RunAsync(fixture.Cluster.Grains, spec, client: GovernanceFixture.Operator("hospital-1", "bob"));
        ITrainingSessionGrain coordinator = fixture.Cluster.Grains.GetGrain<ITrainingSessionGrain>(spec.Session);
        SessionProgress starter = await coordinator.GetProgressAsync(ClientCredential.Declaring(ClientPurpose.Observe, spec.Session, new OperatorIdentity("hospital-1", "bob")));
        SessionProgress outsider = await coordinator.GetProgressAsync(ClientCredential.Declaring(ClientPurpose.Observe, spec.Session, new OperatorIdentity("hospital-3", "eve")));
        Assert.Equal(2, starter.EpochLoss.Length);
        Assert.NotEmpty(starter.Report!.Means);
        Assert.Equal(SessionState.Completed, outsider.State);
        Assert.Empty(outsider.EpochLoss);
        Assert.Empty(outsider.Report!.EpochLoss);
        Assert.Empty(outsider.Report.Means);
        Assert.Empty(outsider.Report.Weights);
    }
}
