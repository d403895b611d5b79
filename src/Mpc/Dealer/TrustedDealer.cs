using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Randomness;
using SecureCompute.Mpc.Ring;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Dealer;

/// <summary>
/// The crypto provider (DESIGN §3, CrypTen's "TTP"): deals Beaver triples, square pairs and truncation material,
/// sending an explicit tensor to party n−1 only.
/// </summary>
/// <remarks>
/// Steps, for each request:
/// 1. For every party i, expand its masks (a_i, b_i or r_i) from the stream keyed by its seed; for i &lt; n−1 also
///    expand its parts of the derived components (c_i, or msb_i and t_i).
/// 2. Combine the masks — sum for additive shares, XOR for boolean ones: a = Σ a_i (uniform; the dealer sees only
///    its own randomness).
/// 3. Derive c = a ⊙ b, a·b, a ⊙ a, (msb(r), (r mod 2^63) &gt;&gt; m), a AND b, or r itself in the other sharing
///    (edaBits, daBits).
/// 4. Party n−1's part of each derived component is the correction: c − Σ_{i&lt;n−1} c_i (or c XOR ⊕ c_i).
///    Send only that.
/// Dealer bandwidth is therefore 8 bytes per element of the derived components (a product's size, not the
/// operands'), plus one 16-byte seed per party per session.
/// </remarks>
public sealed class TrustedDealer : IDisposable
{
    private readonly PrgStream[] streams;
    private readonly RingMatMulAlgorithm algorithm;
    private long sequence;

    /// <summary>Creates a dealer for parties whose material seeds are <paramref name="partySeeds"/> (index = party).</summary>
    public TrustedDealer(IReadOnlyList<Seed> partySeeds, RingMatMulAlgorithm algorithm = RingMatMulAlgorithm.Auto)
    {
        if (partySeeds.Count < 2)
        {
            throw new ArgumentException($"MPC needs at least 2 parties, not {partySeeds.Count}.", nameof(partySeeds));
        }
        streams = partySeeds.Select(s => new PrgStream(s)).ToArray();
        this.algorithm = algorithm;
    }

    /// <summary>The number of parties.</summary>
    public int PartyCount => streams.Length;

    /// <summary>Total bytes of corrections dealt so far.</summary>
    public long BytesSent { get; private set; }

    /// <summary>How many pieces of material were dealt.</summary>
    public long MaterialCount => sequence;

    /// <summary>Draws fresh material seeds for <paramref name="parties"/> parties (sent to each party once, privately).</summary>
    public static Seed[] NewPartySeeds(int parties, Func<Seed>? source = null) =>
        Enumerable.Range(0, parties).Select(_ => (source ?? Seed.Random)()).ToArray();

    /// <summary>Deals the next piece of material; returns what party n−1 must receive.</summary>
    public DealerCorrection Next(MaterialRequest request)
    {
        DealerCorrection result = Deal(sequence, request);
        sequence++;
        BytesSent += result.Bytes;
        return result;
    }

    /// <summary>
    /// Deals piece number <paramref name="sequence"/> for <paramref name="request"/> without moving <see cref="MaterialCount"/>:
    /// the same (sequence, request) always gives the same piece, and pieces for different requests use independent
    /// masks (<see cref="MaterialExpansion"/>), so party n−1 may fetch a guess of its next piece ahead and drop it if
    /// wrong. Not thread-safe: one deal at a time.
    /// </summary>
    public DealerCorrection Deal(long sequence, MaterialRequest request)
    {
        using var scope = NewDisposeScope();
        MaterialComponent[] seeded = request.Seeded;
        MaterialComponent[] corrected = request.Corrected;
        Tensor[] masks = seeded.Select(c => zeros(c.Shape, ScalarType.Int64)).ToArray();
        Tensor[] othersCorrected = corrected.Select(c => zeros(c.Shape, ScalarType.Int64)).ToArray();
        for (int party = 0; party < streams.Length; party++)
        {
            MaterialExpansion.Position(streams[party], sequence, request);
            for (int m = 0; m < seeded.Length; m++)
            {
                Accumulate(masks[m], MaterialExpansion.Draw(streams[party], seeded[m], CPU), seeded[m].Sharing);
            }
            if (party < streams.Length - 1)
            {
                for (int c = 0; c < corrected.Length; c++)
                {
                    Accumulate(othersCorrected[c], MaterialExpansion.Draw(streams[party], corrected[c], CPU), corrected[c].Sharing);
                }
            }
        }
        Tensor[] derived = MaterialDerivation.Derive(request, masks, algorithm);
        Tensor[] corrections = derived.Select((d, c) => (corrected[c].Sharing == ComponentSharing.Arithmetic
            ? d.Minus(othersCorrected[c])
            : d.bitwise_xor(othersCorrected[c])).MoveToOuterDisposeScope()).ToArray();
        return new DealerCorrection(sequence, request, corrections);
    }

    private static void Accumulate(Tensor total, Tensor part, ComponentSharing sharing)
    {
        if (sharing == ComponentSharing.Arithmetic)
        {
            total.PlusInPlace(part);
        }
        else
        {
            total.bitwise_xor_(part);
        }
    }

    /// <summary>Releases the streams.</summary>
    public void Dispose()
    {
        foreach (PrgStream s in streams)
        {
            s.Dispose();
        }
    }
}
