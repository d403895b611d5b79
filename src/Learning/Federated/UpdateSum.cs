using SecureCompute.Mpc.Encoding;
using SecureCompute.Mpc.Engine;
using SecureCompute.Mpc.Randomness;
using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Sharing;
using static TorchSharp.torch;

namespace SecureCompute.Learning.Federated;

/// <summary>The sum of every party's vector, in the ring: what a federated round releases.</summary>
public interface IUpdateSum
{
    /// <summary>The fixed-point format every vector is encoded in.</summary>
    FixedPointFormat Format { get; }

    /// <summary>The parties summed over.</summary>
    int Parties { get; }

    /// <summary>Whether party <paramref name="party"/>'s vector is computed here.</summary>
    bool Hosts(int party);

    /// <summary>Protocol rounds so far.</summary>
    long Rounds { get; }

    /// <summary>Bytes this side sent to openings so far.</summary>
    long BytesSent { get; }

    /// <summary>
    /// Σ_i encode(v_i) mod 2^64 over every party's vector of <paramref name="length"/> reals; every party learns the
    /// same sum and nothing else.
    /// </summary>
    /// <param name="own">Indexed by party: the vector of every hosted party, null for the others.</param>
    /// <param name="length">The public length of every vector.</param>
    /// <param name="what">Names the vectors in an encoding error (never their values).</param>
    long[] Sum(IReadOnlyList<double[]?> own, int length, string what);
}

/// <summary>
/// The secure sum on the share engine, dealer-free: each party encodes its vector, adds it to its pseudo-random zero
/// share (<see cref="MpcEngine.ShareSum"/>, nothing sent), and the shares are opened through the coordinator under a
/// mask every party knows and the coordinator does not — so the coordinator sees a uniform vector, each party only the
/// sum. [1 round per sum; 1 more, once, for the mask's seed]
/// </summary>
/// <remarks>
/// The mask's seed: party 0 draws 128 bits from its CSPRNG, shares them, and reveals them to every party with the
/// targeted reveal (pairwise-masked, so the coordinator learns nothing; docs/protocols.md). Party 0 adds the next
/// mask from that stream to its share before every open, and every party subtracts it from the opened value.
/// </remarks>
public sealed class EngineUpdateSum(MpcEngine mpc) : IUpdateSum, IDisposable
{
    private PrgStream? masks;

    /// <inheritdoc />
    public FixedPointFormat Format => mpc.Format;

    /// <inheritdoc />
    public int Parties => mpc.Parties;

    /// <inheritdoc />
    public bool Hosts(int party) => mpc.Hosts(party);

    /// <inheritdoc />
    public long Rounds => mpc.Rounds;

    /// <inheritdoc />
    public long BytesSent => mpc.BytesOpened;

    /// <inheritdoc />
    public long[] Sum(IReadOnlyList<double[]?> own, int length, string what)
    {
        masks ??= AgreeOnMasks();
        using var scope = NewDisposeScope();
        var rings = new Tensor?[mpc.Parties];
        for (int p = 0; p < mpc.Parties; p++)
        {
            if (mpc.Hosts(p))
            {
                double[] values = own[p] ?? throw new ArgumentException($"Party {p} is hosted here and must give its {what}.", nameof(own));
                if (values.Length != length)
                {
                    throw new ArgumentException($"Party {p}'s {what} has {values.Length} values, not {length}.", nameof(own));
                }
                rings[p] = Format.Encode(tensor(values), $"party {p}'s {what}");
            }
        }
        long[] shape = { length };
        using SharedTensor shared = mpc.ShareSum(shape, rings);
        Tensor mask = masks.NextInt64(shape, mpc.Device);
        foreach (ShareTensor share in shared.Shares.Where(s => s.Party == 0))
        {
            share.Value.PlusInPlace(mask);
        }
        Tensor opened = mpc.Open(shared);
        return opened.MinusInPlace(mask).cpu().contiguous().data<long>().ToArray();
    }

    /// <summary>Releases the mask stream.</summary>
    public void Dispose() => masks?.Dispose();

    private PrgStream AgreeOnMasks()
    {
        using var scope = NewDisposeScope();
        Tensor? seed = null;
        if (mpc.Hosts(0))
        {
            Seed drawn = Seed.Random();
            seed = tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(drawn.Bytes).ToArray());
        }
        using SharedTensor shared = mpc.Share(new long[] { Seed.Length / sizeof(long) }, seed, owner: 0);
        Tensor?[] revealed = mpc.RevealTo(shared, Enumerable.Range(0, mpc.Parties).ToArray());
        Tensor mine = revealed.First(r => r is not null)!;
        long[] words = mine.cpu().contiguous().data<long>().ToArray();
        return new PrgStream(new Seed(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan())));
    }
}

/// <summary>The same sum in the clear over every party's vector, with the same encoding: the fidelity twin's.</summary>
/// <param name="parties">The parties summed over (all hosted).</param>
/// <param name="format">The encoding.</param>
public sealed class PlainUpdateSum(int parties, FixedPointFormat format) : IUpdateSum
{
    /// <inheritdoc />
    public FixedPointFormat Format => format;

    /// <inheritdoc />
    public int Parties => parties;

    /// <inheritdoc />
    public bool Hosts(int party) => party >= 0 && party < parties;

    /// <inheritdoc />
    public long Rounds { get; private set; }

    /// <inheritdoc />
    public long BytesSent => 0;

    /// <inheritdoc />
    public long[] Sum(IReadOnlyList<double[]?> own, int length, string what)
    {
        var total = new long[length];
        Rounds++;
        for (int p = 0; p < parties; p++)
        {
            double[] values = own[p] ?? throw new ArgumentException($"Party {p}'s {what} is missing.", nameof(own));
            if (values.Length != length)
            {
                throw new ArgumentException($"Party {p}'s {what} has {values.Length} values, not {length}.", nameof(own));
            }
            for (int j = 0; j < length; j++)
            {
                total[j] = unchecked(total[j] + Encode(values[j], p, what));
            }
        }
        return total;
    }

    private long Encode(double value, int party, string what)
    {
        try
        {
            return format.Encode(value);
        }
        catch (FixedPointRangeException)
        {
            throw new FixedPointRangeException($"party {party}'s {what}", Array.Empty<long>(), format.MaxMagnitude);
        }
    }
}
