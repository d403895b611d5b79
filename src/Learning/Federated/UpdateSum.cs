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
/// The secure sum on the share engine, dealer-free: each party encodes its vector and adds it to its pseudo-random
/// zero share (<see cref="MpcEngine.ShareSum"/>: nothing sent, and no party's vector is ever shared on its own), then
/// adds a mask of its own from a stream every party can expand and the coordinator cannot, and sends that. The
/// coordinator sums uniform words; every party subtracts the masks' total from the opened value and holds the sum.
/// [1 round per sum; 1 more, once, for the masks' seed]
/// </summary>
/// <remarks>
/// The masks' seed: party 0 draws 128 bits from its CSPRNG, shares them, and reveals them to every party with the
/// targeted reveal (pairwise-masked, so the coordinator learns nothing; docs/protocols.md). Party p's mask stream is
/// keyed by SHA-256(seed ‖ p); every party draws every stream in party order, so all agree on the total.
/// Bytes: 8 per value per party up, 8 per value down. The masks cost each party n AES-CTR draws per value.
/// </remarks>
public sealed class EngineUpdateSum(MpcEngine mpc) : IUpdateSum, IDisposable
{
    private PrgStream[]? masks;

    /// <summary>For tests: each hosted party's message to the coordinator's open, before the masks (its share of the sum).</summary>
    internal event Action<int, long[]>? Shared;

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
        Tensor total = zeros(shape, ScalarType.Int64, mpc.Device);
        for (int p = 0; p < mpc.Parties; p++)
        {
            Tensor mask = masks[p].NextInt64(shape, mpc.Device);
            total.PlusInPlace(mask);
            foreach (ShareTensor share in shared.Shares.Where(s => s.Party == p))
            {
                Shared?.Invoke(p, share.Value.cpu().contiguous().data<long>().ToArray());
                share.Value.PlusInPlace(mask);
            }
        }
        Tensor opened = mpc.Open(shared);
        return opened.MinusInPlace(total).cpu().contiguous().data<long>().ToArray();
    }

    /// <summary>Releases the mask streams.</summary>
    public void Dispose()
    {
        foreach (PrgStream stream in masks ?? [])
        {
            stream.Dispose();
        }
    }

    private PrgStream[] AgreeOnMasks()
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
        byte[] key = System.Runtime.InteropServices.MemoryMarshal.AsBytes(revealed.First(r => r is not null)!.cpu().contiguous().data<long>().ToArray().AsSpan()).ToArray();
        return Enumerable.Range(0, mpc.Parties).Select(p =>
        {
            byte[] derived = System.Security.Cryptography.SHA256.HashData([.. key, .. BitConverter.GetBytes(p)]);
            return new PrgStream(new Seed(derived.AsSpan(0, Seed.Length)));
        }).ToArray();
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
