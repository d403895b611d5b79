using System.Globalization;
using System.Text.Json;
using SecureCompute.Grains.Interfaces.Privacy;
using SecureCompute.Grains.Policy;

namespace SecureCompute.Grains.Privacy;

/// <summary>
/// One party's privacy budget ledger: every DP session's (ε, δ) — reserved at admission, spent at its DP release,
/// given back if it ended before one. Spent and reserved both count against the total (a reservation is a promise
/// the party may have to keep), so sessions running at once can never spend more than the total between them.
/// Sessions compose by basic composition: their ε and δ add up, valid for any mix of mechanisms and accountants.
/// </summary>
/// <remarks>Plain C#: the grain (<see cref="PrivacyBudgetGrain"/>) serialises calls, seals and persists it.</remarks>
public sealed class PrivacyLedger
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private readonly List<BudgetEntry> entries;

    /// <summary>An empty ledger.</summary>
    public PrivacyLedger()
        : this(new List<BudgetEntry>())
    {
    }

    private PrivacyLedger(List<BudgetEntry> entries) => this.entries = entries;

    /// <summary>Every session's line, oldest first.</summary>
    public IReadOnlyList<BudgetEntry> Entries => entries;

    /// <summary>Σε of the spent sessions.</summary>
    public double SpentEpsilon => Sum(BudgetEntryState.Spent, e => e.Epsilon);

    /// <summary>Σε of the reserved sessions.</summary>
    public double ReservedEpsilon => Sum(BudgetEntryState.Reserved, e => e.Epsilon);

    /// <summary>Σδ of the spent sessions.</summary>
    public double SpentDelta => Sum(BudgetEntryState.Spent, e => e.Delta);

    /// <summary>Σδ of the reserved sessions.</summary>
    public double ReservedDelta => Sum(BudgetEntryState.Reserved, e => e.Delta);

    /// <summary>What remains of <paramref name="rules"/>' total ε (null: no total).</summary>
    public double? RemainingEpsilon(PrivacyRules rules) => rules.BudgetEpsilon is { } total ? Math.Max(0, total - SpentEpsilon - ReservedEpsilon) : null;

    /// <summary>
    /// Reserves (ε, δ) for <paramref name="session"/> under <paramref name="rules"/>, or refuses naming
    /// <paramref name="party"/> and what remains. A session already reserved (or spent) with the same figures is
    /// answered as reserved again; a session seen before with other figures, or refunded, is refused.
    /// </summary>
    public BudgetAnswer Reserve(string party, string session, double epsilon, double delta, PrivacyRules rules, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(session);
        if (!(epsilon > 0) || double.IsInfinity(epsilon) || !(delta >= 0 && delta < 1))
        {
            return new BudgetAnswer(false, $"party '{party}': a DP session needs ε > 0 and δ in [0, 1), not ({epsilon}, {delta}).");
        }
        if (Find(session) is { } known)
        {
            return known.State != BudgetEntryState.Refunded && known.Epsilon == epsilon && known.Delta == delta
                ? new BudgetAnswer(true, null)
                : new BudgetAnswer(false, $"party '{party}': session '{session}' is already in its privacy budget ledger ({Describe(known)}).");
        }
        var c = CultureInfo.InvariantCulture;
        if (rules.BudgetEpsilon is { } total && SpentEpsilon + ReservedEpsilon + epsilon > total * (1 + 1e-12))
        {
            return new BudgetAnswer(false, string.Create(c,
                $"party '{party}': ε = {epsilon} exceeds its remaining privacy budget of ε = {RemainingEpsilon(rules):0.####} (total {total}, spent {SpentEpsilon:0.####}, reserved {ReservedEpsilon:0.####})."));
        }
        if (rules.BudgetDelta is { } totalDelta && SpentDelta + ReservedDelta + delta > totalDelta * (1 + 1e-12))
        {
            return new BudgetAnswer(false, string.Create(c,
                $"party '{party}': δ = {delta:G3} exceeds its remaining privacy budget of δ = {Math.Max(0, totalDelta - SpentDelta - ReservedDelta):G3} (total {totalDelta:G3})."));
        }
        entries.Add(new BudgetEntry(session, epsilon, delta, BudgetEntryState.Reserved, now));
        return new BudgetAnswer(true, null);
    }

    /// <summary>Marks <paramref name="session"/> spent (idempotent); false when it holds no reservation to spend.</summary>
    public bool Spend(string session, DateTimeOffset now)
    {
        if (Find(session) is not { } entry || entry.State == BudgetEntryState.Refunded)
        {
            return false;
        }
        Replace(entry, entry with { State = BudgetEntryState.Spent, Since = entry.State == BudgetEntryState.Spent ? entry.Since : now });
        return true;
    }

    /// <summary>Gives back <paramref name="session"/>'s reservation if it is only reserved; true when something was given back.</summary>
    public bool Refund(string session, DateTimeOffset now)
    {
        if (Find(session) is not { State: BudgetEntryState.Reserved } entry)
        {
            return false;
        }
        Replace(entry, entry with { State = BudgetEntryState.Refunded, Since = now });
        return true;
    }

    /// <summary>The line of <paramref name="session"/>, if any.</summary>
    public BudgetEntry? Find(string session) => entries.FirstOrDefault(e => e.Session == session);

    /// <summary>The ledger as bytes (JSON), for sealing.</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(entries, Json);

    /// <summary>A ledger from <see cref="ToBytes"/>.</summary>
    public static PrivacyLedger FromBytes(byte[] bytes) =>
        new(JsonSerializer.Deserialize<List<BudgetEntry>>(bytes, Json) ?? throw new InvalidDataException("The privacy budget ledger is empty."));

    private static string Describe(BudgetEntry e) => string.Create(CultureInfo.InvariantCulture, $"{e.State.ToString().ToLowerInvariant()}, ε = {e.Epsilon}, δ = {e.Delta:G3}");

    private double Sum(BudgetEntryState state, Func<BudgetEntry, double> of) => entries.Where(e => e.State == state).Sum(of);

    private void Replace(BudgetEntry old, BudgetEntry replacement) => entries[entries.IndexOf(old)] = replacement;
}
