namespace SecureCompute.Learning.Training;

/// <summary>
/// Which of a party's rows are held out for evaluation: a public rule — a permutation from a public seed and the
/// party's index, the first ⌈fraction·rows⌉ of it held out — so every party (and the plaintext baseline) knows the
/// split without seeing a row.
/// </summary>
public static class HeldOutSplit
{
    /// <summary>The default fraction held out.</summary>
    public const double DefaultFraction = 0.2;

    /// <summary>Party <paramref name="party"/>'s training and held-out row indices (each ascending).</summary>
    public static (int[] Train, int[] HeldOut) Split(int rows, double fraction, int seed, int party)
    {
        if (!(fraction >= 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The held-out fraction must be in [0, 1).");
        }
        int held = (int)Math.Ceiling(fraction * rows);
        if (fraction > 0 && rows - held < 1)
        {
            throw new ArgumentException($"Party {party} has {rows} rows: too few to hold out {fraction:P0} and still train.", nameof(rows));
        }
        int[] order = Enumerable.Range(0, rows).ToArray();
        new Random(unchecked((seed * 7919) + (party * 104729) + 17)).Shuffle(order);
        return (order[held..].Order().ToArray(), order[..held].Order().ToArray());
    }
}
