using SecureCompute.Client.Budget;
using SecureCompute.Grains.Interfaces.Privacy;

namespace SecureCompute.Client.Tests;

/// <summary><c>budget show</c> as a user meets it before and without a cluster, and the ledger's plain-words form.</summary>
public sealed class BudgetCommandTests
{
    private const string Unused = "127.0.0.1:1";

    [Fact]
    public void WithoutAnOperatorItExitsTwoNamingWhatIsNeeded()
    {
        (int exit, _, string error) = CliRun.Run("budget", "show", "--party", "hospital-1", "--redis", Unused);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: an operator's identity is needed", error);
    }

    [Fact]
    public void AnotherPartysLedgerIsRefusedBeforeConnecting()
    {
        (int exit, _, string error) = CliRun.Run("budget", "show", "--party", "hospital-2", "--redis", Unused, "--as", "hospital-1:dpo");
        Assert.Equal(2, exit);
        Assert.Contains("shown only to its own party's operators, and you are 'hospital-1:dpo'", error);
    }

    [Fact]
    public void WithoutAPartyItIsAParseError()
    {
        (int exit, _, string error) = CliRun.Run("budget", "show", "--redis", Unused, "--as", "hospital-1:dpo");
        Assert.NotEqual(0, exit);
        Assert.Contains("--party", error);
    }

    [Fact]
    public void TheLedgerReadsAsTotalsThenOneLinePerSession()
    {
        var since = new DateTimeOffset(2026, 12, 3, 9, 30, 0, TimeSpan.Zero);
        var statement = new BudgetStatement("hospital-1", "hospital-1", 8, 1e-4, 2.5, 1, 4.5, 2e-5, 1e-5,
        [
            new BudgetEntry("study-1", 2.5, 2e-5, BudgetEntryState.Spent, since),
            new BudgetEntry("study-2", 1, 1e-5, BudgetEntryState.Reserved, since),
            new BudgetEntry("study-3", 3, 1e-5, BudgetEntryState.Refunded, since),
        ]);
        string text = BudgetCommand.Describe(statement);
        Assert.Contains("party hospital-1, dataset hospital-1: ε total 8, spent 2.5, reserved 1, remaining 4.5", text);
        Assert.Contains("study-1: spent ε = 2.5, δ = 2E-05 (since 2026-12-03 09:30:00Z)", text);
        Assert.Contains("study-2: reserved ε = 1", text);
        Assert.Contains("study-3: refunded ε = 3", text);
        Assert.Contains("no limit", BudgetCommand.Describe(statement with { TotalEpsilon = null, RemainingEpsilon = null }));
    }
}
