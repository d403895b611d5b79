using SecureCompute.Grains.Data;

namespace SecureCompute.Grains.Hosting;

/// <summary>Who a silo is: its role, and for a party silo the party id and how it reads its own rows.</summary>
/// <remarks>
/// The data loader runs only inside this silo; the rows it returns never leave it. A silo refuses to run another
/// party's grains even if placement were bypassed (<see cref="RequireParty"/>).
/// </remarks>
public sealed class SiloIdentity
{
    private readonly Func<string, PartyDataset>? loadRows;

    private SiloIdentity(SiloRole role, string? party, Func<string, PartyDataset>? loadRows)
    {
        Role = role;
        Party = party;
        this.loadRows = loadRows;
    }

    /// <summary>Seals this silo's grain state at rest (from the party's key file; a random key when state lives in memory only).</summary>
    public Storage.StateSealer Sealer { get; private set; } = Storage.StateSealer.Ephemeral();

    /// <summary>Uses <paramref name="sealer"/> (the party's key) for state at rest.</summary>
    public SiloIdentity WithSealer(Storage.StateSealer sealer)
    {
        Sealer = sealer;
        return this;
    }

    /// <summary>The party's policy (a party silo); the documented restrictive default unless one was given.</summary>
    public Policy.PartyPolicy Policy { get; private set; } = Grains.Policy.PartyPolicy.RestrictiveDefault("dealer");

    /// <summary>Whether the policy came from the party (false: the restrictive default).</summary>
    public bool HasPolicy { get; private set; }

    /// <summary>Uses <paramref name="policy"/> (it must be this party's).</summary>
    public SiloIdentity WithPolicy(Policy.PartyPolicy policy)
    {
        if (policy.Party != Party)
        {
            throw new ArgumentException($"The policy is for '{policy.Party}', but this silo is {this}.", nameof(policy));
        }
        Policy = policy;
        HasPolicy = true;
        return this;
    }

    /// <summary>The silo's role.</summary>
    public SiloRole Role { get; }

    /// <summary>The party id of a party silo; null for the dealer.</summary>
    public string? Party { get; }

    /// <summary>A party silo that reads its rows from <paramref name="dataFile"/> (a CSV with a header row).</summary>
    public static SiloIdentity ForParty(string party, string dataFile) =>
        ForParty(party, label => CsvDataset.Load(dataFile, label));

    /// <summary>A party silo that gets its rows from <paramref name="loadRows"/> (given the label column).</summary>
    public static SiloIdentity ForParty(string party, Func<string, PartyDataset> loadRows)
    {
        ArgumentException.ThrowIfNullOrEmpty(party);
        var identity = new SiloIdentity(SiloRole.Party, party, loadRows);
        identity.Policy = Grains.Policy.PartyPolicy.RestrictiveDefault(party);
        return identity;
    }

    /// <summary>A dealer silo.</summary>
    public static SiloIdentity ForDealer() => new(SiloRole.Dealer, null, null);

    /// <summary>This party's rows with <paramref name="label"/> as the label column.</summary>
    public PartyDataset LoadRows(string label) =>
        loadRows is null ? throw new InvalidOperationException("A dealer silo holds no rows.") : loadRows(label);

    /// <summary>Throws unless this silo belongs to <paramref name="party"/>.</summary>
    public void RequireParty(string party)
    {
        if (Role != SiloRole.Party || Party != party)
        {
            throw new InvalidOperationException($"Party '{party}''s grain reached a silo of {(Party is null ? "the dealer" : $"party '{Party}'")}; placement refuses this.");
        }
    }

    /// <summary>Describes the silo without its data.</summary>
    public override string ToString() => Party is null ? $"{Role} silo" : $"{Role} silo of '{Party}'";
}
