using System.Globalization;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Privacy;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Silo.Tests;

/// <summary>
/// A party's privacy budget ledger lives in its own storage (Redis here), sealed with its silo's key: a DP session
/// spends on every party, then hospital-1's silo is killed (SIGKILL) and restarted with the same settings, and its
/// ledger still lists the session as spent — read back from storage, not from memory.
/// </summary>
public sealed class BudgetRestartTests : IAsyncLifetime
{
    private readonly ProcessClusterFixture cluster = ProcessClusterFixture.Persistent();

    public Task InitializeAsync() => cluster.InitializeAsync();

    public Task DisposeAsync() => cluster.DisposeAsync();

    [Fact]
    public async Task TheLedgerSurvivesItsSilosRestart()
    {
        string bounds = Path.Combine(RepositoryPaths.Root, "data", "bounds", "breast-cancer.csv");
        string[][] rows = File.ReadLines(bounds).Skip(1).Select(l => l.Split(',')).ToArray();
        double[] lower = rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)).ToArray();
        double[] upper = rows.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture)).ToArray();
        var spec = new SessionSpec($"ledger-{Guid.NewGuid():N}"[..20], ProcessClusterFixture.Hospitals, "benign", Epochs: 2, BatchSize: 512, LearningRate: 4,
            Privacy: new SessionPrivacy(1.5, 1e-5, LowerBounds: lower, UpperBounds: upper));
        SessionReport report = await SessionClient.RunAsync(cluster.Grains, spec, client: cluster.Operator).WaitAsync(TimeSpan.FromSeconds(180));
        Assert.Equal(31, report.Weights.Length);

        var dpo = ClientSigner.Declaring(new OperatorIdentity("hospital-1", "dpo"));
        async Task<BudgetEntry?> Entry() => (await cluster.Grains.GetGrain<IPrivacyBudgetGrain>("hospital-1").ShowAsync(dpo.For(ClientPurpose.ShowBudget, "hospital-1")))
            .Sessions.FirstOrDefault(e => e.Session == spec.Session);
        Assert.Equal(BudgetEntryState.Spent, (await Entry())?.State);

        cluster.Silos[0].Kill();
        await cluster.RestartAsync(0);
        BudgetEntry? after = null;
        for (int i = 0; i < 60 && after is null; i++)
        {
            try
            {
                after = await Entry();
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                // The cluster may still route to the dead silo for a moment.
                await Task.Delay(500);
            }
        }
        Assert.NotNull(after);
        Assert.Equal(BudgetEntryState.Spent, after.State);
        Assert.Equal(1.5, after.Epsilon);
    }
}
