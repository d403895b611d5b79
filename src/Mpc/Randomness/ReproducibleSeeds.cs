namespace SecureCompute.Mpc.Randomness;

/// <summary>
/// The seeds of a reproducible session, derived from one public value in the simulator's order — first every party's
/// material seed, then the pairwise seeds for i &lt; j in row order — so that a cluster run with the same value
/// repeats a simulator run bit for bit. Demos and tests only: whoever knows the value knows every seed.
/// </summary>
public static class ReproducibleSeeds
{
    /// <summary>Every party's material seed (what the dealer sends each party).</summary>
    public static Seed[] Material(long value, int parties)
    {
        Func<Seed> source = Seed.Reproducible(value);
        return Enumerable.Range(0, parties).Select(_ => source()).ToArray();
    }

    /// <summary>Party <paramref name="party"/>'s pairwise seeds with every other party (null at its own index).</summary>
    public static Seed?[] Pairwise(long value, int parties, int party)
    {
        Func<Seed> source = Seed.Reproducible(value);
        for (int i = 0; i < parties; i++)
        {
            _ = source();
        }
        var mine = new Seed?[parties];
        for (int i = 0; i < parties; i++)
        {
            for (int j = i + 1; j < parties; j++)
            {
                Seed seed = source();
                if (i == party)
                {
                    mine[j] = seed;
                }
                else if (j == party)
                {
                    mine[i] = seed;
                }
            }
        }
        return mine;
    }
}
