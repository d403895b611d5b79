using System.Numerics;
using SecureCompute.Mpc.Randomness;

namespace SecureCompute.Learning.Privacy;

/// <summary>
/// The DP noise each party adds to its own shares: integer (discrete Gaussian) noise from a seed of the party's own,
/// drawn in the same order at every step, so that the honest parties' part alone has the mechanism's deviation.
/// </summary>
/// <remarks>
/// Threat statement (docs/privacy.md): the noise seed is the party's, drawn from its own CSPRNG — not the dealer's
/// material seed, not the spec's, never sent. A coalition of t parties knows its own noise and can subtract it; what
/// is left is the other n − t parties' noise, each of variance σ²/(n − t), together σ². The dealer knows none of it.
/// The cost: the released model carries variance n·σ²/(n − t) — n times the central mechanism's at the default
/// t = n − 1. Integers, never floating-point samples (Mironov 2012): the noise lives in the ring at f fractional bits.
/// A twin that holds every party's seed (the simulator's tests) draws the same total noise in plaintext.
/// </remarks>
public sealed class PartyNoise : IDisposable
{
    private const int VarianceFractionBits = 20;
    private readonly Dictionary<int, PrgStream> streams;

    /// <summary>Noise for the parties whose seeds are given, among <paramref name="parties"/>, of which <paramref name="honest"/> are relied on.</summary>
    public PartyNoise(IReadOnlyDictionary<int, Seed> seeds, int parties, int honest)
    {
        if (parties < 1 || honest < 1 || honest > parties)
        {
            throw new ArgumentOutOfRangeException(nameof(honest), honest, $"Between 1 and {parties} honest parties are needed.");
        }
        if (seeds.Keys.Any(p => p < 0 || p >= parties))
        {
            throw new ArgumentOutOfRangeException(nameof(seeds), $"Party indices must be in 0..{parties - 1}.");
        }
        Parties = parties;
        Honest = honest;
        streams = seeds.ToDictionary(s => s.Key, s => new PrgStream(s.Value));
    }

    /// <summary>Fresh noise seeds (each party's own CSPRNG) for <paramref name="hosted"/>.</summary>
    public static PartyNoise Fresh(IEnumerable<int> hosted, int parties, int honest) =>
        new(hosted.ToDictionary(p => p, _ => Seed.Random()), parties, honest);

    /// <summary>Every party in the session.</summary>
    public int Parties { get; }

    /// <summary>n − t: the parties whose noise alone must carry the deviation.</summary>
    public int Honest { get; }

    /// <summary>The parties whose noise this holds.</summary>
    public IReadOnlyCollection<int> Hosted => streams.Keys;

    /// <summary>
    /// The variance each party's integer noise has, in ring units at <paramref name="fractionalBits"/> bits, for a total
    /// deviation <paramref name="standardDeviation"/> from the honest parties: (σ·2^f)²/(n − t), rounded up to a
    /// multiple of 2^-20 (more noise, never less).
    /// </summary>
    public (BigInteger Numerator, BigInteger Denominator) PartyVariance(double standardDeviation, int fractionalBits)
    {
        if (!(standardDeviation > 0) || !double.IsFinite(standardDeviation))
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The noise's deviation must be a positive number.");
        }
        double ring = standardDeviation * Math.Pow(2, fractionalBits);
        double variance = ring * ring / Honest * Math.Pow(2, VarianceFractionBits);
        return (new BigInteger(Math.Ceiling(variance)), BigInteger.One << VarianceFractionBits);
    }

    /// <summary>Party <paramref name="party"/>'s next <paramref name="count"/> noise integers (ring units at <paramref name="fractionalBits"/> bits).</summary>
    public long[] Draw(int party, long count, double standardDeviation, int fractionalBits)
    {
        if (!streams.TryGetValue(party, out PrgStream? stream))
        {
            throw new InvalidOperationException($"No noise seed for party {party} here: a party draws its own noise only.");
        }
        (BigInteger numerator, BigInteger denominator) = PartyVariance(standardDeviation, fractionalBits);
        var sampler = new DiscreteGaussianSampler(stream, numerator, denominator);
        var noise = new long[count];
        sampler.Fill(noise);
        return noise;
    }

    /// <summary>Every party's next noise, summed (a twin holding every seed): the total the secret program adds.</summary>
    public long[] DrawTotal(long count, double standardDeviation, int fractionalBits)
    {
        if (streams.Count != Parties)
        {
            throw new InvalidOperationException($"The total noise needs every party's seed; {streams.Count} of {Parties} are here.");
        }
        var total = new long[count];
        foreach (int party in streams.Keys.Order())
        {
            long[] own = Draw(party, count, standardDeviation, fractionalBits);
            for (long i = 0; i < count; i++)
            {
                total[i] = unchecked(total[i] + own[i]);
            }
        }
        return total;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (PrgStream stream in streams.Values)
        {
            stream.Dispose();
        }
    }
}
