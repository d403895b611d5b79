using SecureCompute.Mpc.Randomness;
using SecureCompute.Mpc.Sharing;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Dealer;

/// <summary>
/// A party's side of the dealer: expands its material from its seed in the dealer's order, and for party n−1 takes
/// the dealer's corrections in place of the derived components.
/// </summary>
public sealed class PartyMaterial : IDisposable
{
    private readonly PrgStream stream;
    private long sequence;

    /// <summary>Creates party <paramref name="party"/>'s (of <paramref name="partyCount"/>) view, keyed by its material seed.</summary>
    public PartyMaterial(int party, int partyCount, Seed seed, Device? device = null)
    {
        if (partyCount < 2 || party < 0 || party >= partyCount)
        {
            throw new ArgumentOutOfRangeException(nameof(party), $"Party {party} of {partyCount}: need 0 ≤ party < parties and parties ≥ 2.");
        }
        Party = party;
        PartyCount = partyCount;
        Device = device ?? CPU;
        stream = new PrgStream(seed);
    }

    /// <summary>This party's index.</summary>
    public int Party { get; }

    /// <summary>The number of parties.</summary>
    public int PartyCount { get; }

    /// <summary>The device the material is placed on.</summary>
    public Device Device { get; }

    /// <summary>The sequence number of the next piece this party will take.</summary>
    public long Sequence => sequence;

    /// <summary>
    /// Continues at piece <paramref name="next"/> (resuming from a checkpoint): pieces depend only on (seed, sequence,
    /// request), so nothing else needs restoring.
    /// </summary>
    public void ResumeAt(long next)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(next);
        sequence = next;
    }

    /// <summary>Whether this party receives explicit corrections (party n−1).</summary>
    public bool ReceivesCorrections => Party == PartyCount - 1;

    /// <summary>This party's shares of a Beaver triple.</summary>
    public BeaverTriple NextTriple(MaterialRequest request, DealerCorrection? correction = null)
    {
        if (request.Kind is not (MaterialKind.ElementwiseTriple or MaterialKind.MatMulTriple))
        {
            throw new ArgumentException($"{request.Kind} is not a triple.", nameof(request));
        }
        Tensor[] parts = Next(request, correction);
        return new BeaverTriple(request, Share(parts[0]), Share(parts[1]), Share(parts[2]));
    }

    /// <summary>This party's shares of a square pair.</summary>
    public SquarePair NextSquare(MaterialRequest request, DealerCorrection? correction = null)
    {
        Expect(request, MaterialKind.Square);
        Tensor[] parts = Next(request, correction);
        return new SquarePair(Share(parts[0]), Share(parts[1]));
    }

    /// <summary>This party's shares of truncation material.</summary>
    public TruncationPair NextTruncation(MaterialRequest request, DealerCorrection? correction = null)
    {
        Expect(request, MaterialKind.Truncation);
        Tensor[] parts = Next(request, correction);
        return new TruncationPair(request.Bits, Share(parts[0]), Share(parts[1]), Share(parts[2]));
    }

    /// <summary>This party's shares of a boolean triple.</summary>
    public BooleanTriple NextBooleanTriple(MaterialRequest request, DealerCorrection? correction = null)
    {
        Expect(request, MaterialKind.BooleanTriple);
        Tensor[] parts = Next(request, correction);
        return new BooleanTriple(Bits(parts[0]), Bits(parts[1]), Bits(parts[2]));
    }

    /// <summary>This party's shares of edaBits.</summary>
    public EdaBits NextEdaBits(MaterialRequest request, DealerCorrection? correction = null)
    {
        Expect(request, MaterialKind.EdaBit);
        Tensor[] parts = Next(request, correction);
        return new EdaBits(Share(parts[0]), Bits(parts[1]));
    }

    /// <summary>This party's shares of daBits.</summary>
    public DaBits NextDaBits(MaterialRequest request, DealerCorrection? correction = null)
    {
        Expect(request, MaterialKind.DaBit);
        Tensor[] parts = Next(request, correction);
        return new DaBits(Bits(parts[0]), Share(parts[1]));
    }

    /// <summary>Releases the stream.</summary>
    public void Dispose() => stream.Dispose();

    private Tensor[] Next(MaterialRequest request, DealerCorrection? correction)
    {
        if (ReceivesCorrections)
        {
            if (correction is null)
            {
                throw new InvalidOperationException($"Party {Party} needs the dealer's correction for material {sequence} ({request}).");
            }
            if (correction.Sequence != sequence || !SameRequest(correction.Request, request))
            {
                throw new InvalidOperationException(
                    $"Party {Party} expected material {sequence} ({request}) but the dealer's correction is {correction.Sequence} ({correction.Request}).");
            }
        }
        MaterialExpansion.Position(stream, sequence, request);
        sequence++;
        var parts = new List<Tensor>();
        foreach (MaterialComponent component in request.Seeded)
        {
            parts.Add(MaterialExpansion.Draw(stream, component, Device));
        }
        MaterialComponent[] corrected = request.Corrected;
        for (int c = 0; c < corrected.Length; c++)
        {
            parts.Add(ReceivesCorrections ? correction!.ForLastParty[c].to(Device) : MaterialExpansion.Draw(stream, corrected[c], Device));
        }
        return parts.ToArray();
    }

    private ShareTensor Share(Tensor value) => new(Party, value);

    private BitShareTensor Bits(Tensor value) => new(Party, value);

    private static void Expect(MaterialRequest request, MaterialKind kind)
    {
        if (request.Kind != kind)
        {
            throw new ArgumentException($"{request.Kind} requested where {kind} was expected.", nameof(request));
        }
    }

    private static bool SameRequest(MaterialRequest a, MaterialRequest b) =>
        a.Kind == b.Kind && a.Bits == b.Bits && a.ShapeA.SequenceEqual(b.ShapeA) && a.ShapeB.SequenceEqual(b.ShapeB);
}
