namespace SecureCompute.Mpc.Randomness;

/// <summary>
/// One party's view of the pairwise seeds: for every other party j, a seed that only this party and j know,
/// each expanded as its own <see cref="PrgStream"/>.
/// </summary>
/// <remarks>
/// In a deployment the pairs agree on their seeds by key exchange; <see cref="CreateAll"/> deals them for a simulation.
/// Both ends of a pair must draw the same shapes in the same order, which every protocol here guarantees because
/// the pairs it draws from are public (all pairs for zero sharing, sender–recipient pairs for a targeted reveal).
/// </remarks>
public sealed class PairwiseSeeds : IDisposable
{
    private readonly PrgStream?[] streams;

    /// <summary>Creates party <paramref name="party"/>'s view from its seeds with every other party (null at its own index).</summary>
    public PairwiseSeeds(int party, IReadOnlyList<Seed?> seedsWithOthers)
    {
        if (party < 0 || party >= seedsWithOthers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(party), party, "Party index outside the seed list.");
        }
        Party = party;
        streams = new PrgStream?[seedsWithOthers.Count];
        for (int j = 0; j < seedsWithOthers.Count; j++)
        {
            if (j == party)
            {
                continue;
            }
            Seed seed = seedsWithOthers[j] ?? throw new ArgumentException($"No pairwise seed with party {j}.", nameof(seedsWithOthers));
            streams[j] = new PrgStream(seed);
        }
    }

    /// <summary>This party's index.</summary>
    public int Party { get; }

    /// <summary>The number of parties.</summary>
    public int PartyCount => streams.Length;

    /// <summary>The stream shared with party <paramref name="other"/>.</summary>
    public PrgStream With(int other) =>
        other == Party ? throw new ArgumentException("A party shares no pairwise seed with itself.", nameof(other)) : streams[other]!;

    /// <summary>Deals fresh pairwise seeds to <paramref name="parties"/> parties (for simulations and tests).</summary>
    public static PairwiseSeeds[] CreateAll(int parties, Func<Seed>? source = null)
    {
        source ??= Seed.Random;
        var seeds = new Seed?[parties, parties];
        for (int i = 0; i < parties; i++)
        {
            for (int j = i + 1; j < parties; j++)
            {
                seeds[i, j] = seeds[j, i] = source();
            }
        }
        return Enumerable.Range(0, parties)
            .Select(i => new PairwiseSeeds(i, Enumerable.Range(0, parties).Select(j => seeds[i, j]).ToArray()))
            .ToArray();
    }

    /// <summary>Releases the streams.</summary>
    public void Dispose()
    {
        foreach (PrgStream? stream in streams)
        {
            stream?.Dispose();
        }
    }
}
