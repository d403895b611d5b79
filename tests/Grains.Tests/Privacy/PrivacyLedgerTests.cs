using SecureCompute.Grains.Interfaces.Privacy;
using SecureCompute.Grains.Policy;
using SecureCompute.Grains.Privacy;

namespace SecureCompute.Grains.Tests.Privacy;

/// <summary>The ledger's rules on their own: reserve, spend, refund, refusals that name the party and what remains, and its bytes.</summary>
public sealed class PrivacyLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly PrivacyRules Budget = new(BudgetEpsilon: 3, BudgetDelta: 1e-4);

    [Fact]
    public void ReservedAndSpentBothCountAgainstTheTotalAndARefundGivesBack()
    {
        var ledger = new PrivacyLedger();
        Assert.True(ledger.Reserve("h1", "a", 1.5, 1e-5, Budget, Now).Reserved);
        Assert.True(ledger.Reserve("h1", "b", 1.0, 1e-5, Budget, Now).Reserved);
        Assert.Equal(0.5, ledger.RemainingEpsilon(Budget)!.Value, 12);

        BudgetAnswer refused = ledger.Reserve("h1", "c", 1.0, 1e-5, Budget, Now);
        Assert.False(refused.Reserved);
        Assert.Contains("party 'h1'", refused.Refusal);
        Assert.Contains("remaining privacy budget of ε = 0.5", refused.Refusal);
        Assert.Null(ledger.Find("c"));

        Assert.True(ledger.Spend("a", Now));
        Assert.True(ledger.Refund("b", Now));
        Assert.False(ledger.Refund("a", Now));   // a spend is never given back
        Assert.False(ledger.Spend("b", Now));    // nor a refund spent
        Assert.Equal(1.5, ledger.SpentEpsilon, 12);
        Assert.Equal(0, ledger.ReservedEpsilon, 12);
        Assert.Equal(1.5, ledger.RemainingEpsilon(Budget)!.Value, 12);
        Assert.True(ledger.Reserve("h1", "c", 1.5, 1e-5, Budget, Now).Reserved);   // exactly the rest
        Assert.Equal(0, ledger.RemainingEpsilon(Budget)!.Value, 12);
    }

    [Fact]
    public void ASessionIsReservedOnceAndSpendingIsIdempotent()
    {
        var ledger = new PrivacyLedger();
        Assert.True(ledger.Reserve("h1", "a", 1, 1e-5, Budget, Now).Reserved);
        Assert.True(ledger.Reserve("h1", "a", 1, 1e-5, Budget, Now).Reserved);   // asked again (a retry): the same answer
        Assert.Single(ledger.Entries);
        Assert.False(ledger.Reserve("h1", "a", 2, 1e-5, Budget, Now).Reserved);  // other figures for the same session
        Assert.True(ledger.Spend("a", Now));
        Assert.True(ledger.Spend("a", Now.AddMinutes(1)));                        // a resumed session spends again: no change
        Assert.Equal(Now, ledger.Find("a")!.Since);
        Assert.False(ledger.Spend("never", Now));
        Assert.True(ledger.Refund("a", Now) is false);
        Assert.True(ledger.Reserve("h1", "z", 1, 1e-5, Budget, Now).Reserved);
        Assert.True(ledger.Refund("z", Now));
        Assert.False(ledger.Reserve("h1", "z", 1, 1e-5, Budget, Now).Reserved);  // a refunded session id is not reused
    }

    [Fact]
    public void DeltaHasItsOwnTotalAndNoTotalMeansNoLimit()
    {
        var ledger = new PrivacyLedger();
        Assert.True(ledger.Reserve("h1", "a", 0.1, 6e-5, Budget, Now).Reserved);
        BudgetAnswer refused = ledger.Reserve("h1", "b", 0.1, 6e-5, Budget, Now);
        Assert.False(refused.Reserved);
        Assert.Contains("δ = 6E-05 exceeds", refused.Refusal);
        var unlimited = new PrivacyLedger();
        for (int i = 0; i < 100; i++)
        {
            Assert.True(unlimited.Reserve("h1", $"s{i}", 50, 1e-5, PrivacyRules.None, Now).Reserved);
        }
        Assert.Null(unlimited.RemainingEpsilon(PrivacyRules.None));
        Assert.Equal(5000, unlimited.ReservedEpsilon, 9);
        Assert.False(unlimited.Reserve("h1", "bad", 0, 1e-5, PrivacyRules.None, Now).Reserved);
        Assert.False(unlimited.Reserve("h1", "bad", double.PositiveInfinity, 1e-5, PrivacyRules.None, Now).Reserved);
        Assert.False(unlimited.Reserve("h1", "bad", 1, 1, PrivacyRules.None, Now).Reserved);
    }

    /// <summary>Random sequences of reserve/spend/refund never leave spent + reserved above the total, and the bytes round-trip.</summary>
    [Fact]
    public void NoSequenceOverspendsAndTheBytesRoundTrip()
    {
        var random = new Random();
        var ledger = new PrivacyLedger();
        var rules = new PrivacyRules(BudgetEpsilon: 10);
        for (int step = 0; step < 2000; step++)
        {
            string session = $"s{random.Next(200)}";
            switch (random.Next(3))
            {
                case 0:
                    ledger.Reserve("h1", session, 0.1 + random.NextDouble() * 2, 1e-6, rules, Now);
                    break;
                case 1:
                    ledger.Spend(session, Now);
                    break;
                default:
                    ledger.Refund(session, Now);
                    break;
            }
            Assert.True(ledger.SpentEpsilon + ledger.ReservedEpsilon <= 10 * (1 + 1e-12), $"step {step}: {ledger.SpentEpsilon} + {ledger.ReservedEpsilon}");
        }
        PrivacyLedger copy = PrivacyLedger.FromBytes(ledger.ToBytes());
        Assert.Equal(ledger.Entries, copy.Entries);
    }

    [Fact]
    public void ThePolicyFileCarriesThePrivacyRules()
    {
        PartyPolicy policy = PartyPolicyLoader.Parse("""
            { "party": "h1", "privacy": { "requireDp": true, "budgetEpsilon": 8, "budgetDelta": 1e-4, "maxSessionEpsilon": 2 } }
            """, "h1.json", "h1");
        Assert.Equal(new PrivacyRules(true, 8, 1e-4, 2), policy.Privacy);
        Assert.Equal(policy, PartyPolicyLoader.Parse(policy.ToJson(), "again.json", "h1"));
        var error = Assert.Throws<PolicyException>(() => PartyPolicyLoader.Parse("""
            { "party": "h1", "privacy": { "requireDp": "yes", "budgetEpsilon": -1, "maxSessionEpsilon": 3, "budget": 1 } }
            """, "bad.json", "h1"));
        Assert.True(error.Message.Contains("bad.json: $.privacy.requireDp: must be true or false", StringComparison.Ordinal), error.Message);
        Assert.Contains("bad.json: $.privacy.budgetEpsilon: must be a number in (0, 1000000] or null, not -1", error.Message);
        Assert.Contains("bad.json: $.privacy.budget: unknown property", error.Message);
        error = Assert.Throws<PolicyException>(() => PartyPolicyLoader.Parse("""
            { "party": "h1", "privacy": { "budgetEpsilon": 1, "maxSessionEpsilon": 3 } }
            """, "bad.json", "h1"));
        Assert.Contains("$.privacy.maxSessionEpsilon: 3 exceeds the budget's ε = 1", error.Message);

        PartyPolicy declared = PartyPolicyLoader.Parse("""
            { "party": "h1", "privacy": { "bounds": { "age": [0, 120], "bmi": [10, 70] } } }
            """, "h1.json", "h1");
        Assert.Equal((0.0, 120.0), declared.Privacy.Bounds!["age"]);
        Assert.Equal(declared, PartyPolicyLoader.Parse(declared.ToJson(), "again.json", "h1"));
        Assert.NotEqual(policy, declared);
        Assert.Empty(declared.Privacy.CheckBounds(["bmi", "age"], [10, 0], [70, 120]));
        Assert.Equal(2, declared.Privacy.CheckBounds(["bmi", "height"], [10, 0], [71, 250]).Count);
        error = Assert.Throws<PolicyException>(() => PartyPolicyLoader.Parse("""
            { "party": "h1", "privacy": { "bounds": { "age": [120, 0], "bmi": "wide" } } }
            """, "bad.json", "h1"));
        Assert.Contains("$.privacy.bounds.age: must be [lower, upper]", error.Message);
        Assert.Contains("$.privacy.bounds.bmi: must be [lower, upper]", error.Message);
    }
}
