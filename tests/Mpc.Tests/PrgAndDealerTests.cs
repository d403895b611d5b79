using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Randomness;
using SecureCompute.Mpc.Sharing;
using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

public class PrgAndDealerTests
{
    [Fact]
    public void SameSeedSameDrawsDifferentSeedDifferentDraws()
    {
        using var scope = NewDisposeScope();
        Seed seed = Seed.Random();
        using var dealerSide = new PrgStream(seed);
        using var partySide = new PrgStream(new Seed(seed.Bytes));
        using var other = new PrgStream(Seed.Random());
        foreach (long[] shape in new[] { new long[] { 3 }, new long[] { 5, 7 }, new long[] { 1 }, new long[] { 100_001 } })
        {
            Tensor a = dealerSide.NextInt64(shape);
            Tensor b = partySide.NextInt64(shape);
            Tensor c = other.NextInt64(shape);
            Assert.Equal(Reference.Longs(a), Reference.Longs(b));
            Assert.NotEqual(Reference.Longs(a), Reference.Longs(c));
        }
    }

    [Fact]
    public void ConsecutiveDrawsDifferAndLookUniform()
    {
        using var scope = NewDisposeScope();
        using var stream = new PrgStream(Seed.Random());
        long[] first = Reference.Longs(stream.NextInt64(new long[] { 100_000 }));
        long[] second = Reference.Longs(stream.NextInt64(new long[] { 100_000 }));
        Assert.NotEqual(first.Take(10), second.Take(10));
        // Each of the 64 bit positions is set in half the words: 100 000 draws, σ = 158; 6σ ≈ 950.
        for (int bit = 0; bit < 64; bit++)
        {
            int ones = first.Count(v => ((ulong)v >> bit & 1) == 1);
            Assert.InRange(ones, 50_000 - 950, 50_000 + 950);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void ElementwiseTripleIsCorrect(int parties)
    {
        using var scope = NewDisposeScope();
        var (dealer, material) = Setup(parties);
        var request = MaterialRequest.Elementwise(new long[] { 4, 3 }, new long[] { 3 });
        using DealerCorrection correction = dealer.Next(request);
        BeaverTriple[] triple = material.Select(m => m.NextTriple(request, m.ReceivesCorrections ? correction : null)).ToArray();
        long[] a = Sum(triple.Select(t => t.A)), b = Sum(triple.Select(t => t.B)), c = Sum(triple.Select(t => t.C));
        Assert.Equal(12, c.Length);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(unchecked(a[i * 3 + j] * b[j]), c[i * 3 + j]);
            }
        }
        Assert.Equal(12 * 8, dealer.BytesSent);
    }

    [Theory]
    [InlineData(2, 3, 5, 4)]
    [InlineData(3, 1, 7, 1)]
    [InlineData(4, 6, 300, 2)]
    public void MatMulTripleIsCorrect(int parties, int m, int k, int n)
    {
        using var scope = NewDisposeScope();
        var (dealer, material) = Setup(parties);
        var request = MaterialRequest.MatMul(new long[] { m, k }, new long[] { k, n });
        using DealerCorrection correction = dealer.Next(request);
        BeaverTriple[] triple = material.Select(p => p.NextTriple(request, p.ReceivesCorrections ? correction : null)).ToArray();
        long[] a = Sum(triple.Select(t => t.A)), b = Sum(triple.Select(t => t.B)), c = Sum(triple.Select(t => t.C));
        Assert.Equal(Reference.MatMul(a, b, m, k, n), c);
        // Only the product's size crosses the wire: 8 bytes per element of C.
        Assert.Equal(m * n * 8L, dealer.BytesSent);
    }

    [Fact]
    public void SquareAndTruncationMaterialAreCorrect()
    {
        using var scope = NewDisposeScope();
        var (dealer, material) = Setup(3);
        var square = MaterialRequest.Square(new long[] { 1000 });
        using DealerCorrection squareCorrection = dealer.Next(square);
        SquarePair[] pairs = material.Select(p => p.NextSquare(square, p.ReceivesCorrections ? squareCorrection : null)).ToArray();
        long[] a = Sum(pairs.Select(p => p.A)), a2 = Sum(pairs.Select(p => p.ASquared));
        Assert.Equal(a.Select(v => unchecked(v * v)), a2);

        var truncation = MaterialRequest.Truncation(new long[] { 1000 }, 16);
        using DealerCorrection truncationCorrection = dealer.Next(truncation);
        TruncationPair[] t = material.Select(p => p.NextTruncation(truncation, p.ReceivesCorrections ? truncationCorrection : null)).ToArray();
        long[] r = Sum(t.Select(x => x.R)), msb = Sum(t.Select(x => x.Msb)), low = Sum(t.Select(x => x.ShiftedLow));
        Assert.Equal(r.Select(v => v < 0 ? 1L : 0L), msb);
        Assert.Equal(r.Select(v => (v & long.MaxValue) >> 16), low);
        Assert.Contains(1L, msb);
        Assert.Contains(0L, msb);
        Assert.Equal(1000 * 8 + 2 * 1000 * 8, dealer.BytesSent);
    }

    /// <summary>
    /// A piece depends only on (seed, sequence, request): dealt ahead and out of order, and after a wrong guess for the
    /// same sequence, the pieces the parties consume in order are still correct triples.
    /// </summary>
    [Fact]
    public void PiecesDealtAheadOrAfterAWrongGuessAreStillCorrect()
    {
        using var scope = NewDisposeScope();
        var (dealer, material) = Setup(3);
        var first = MaterialRequest.Elementwise(new long[] { 50 }, new long[] { 50 });
        var second = MaterialRequest.Elementwise(new long[] { 7, 3 }, new long[] { 7, 3 });
        var wrongGuess = MaterialRequest.Elementwise(new long[] { 7, 3 }, new long[] { 3 });
        using DealerCorrection secondAhead = dealer.Deal(1, second);
        using DealerCorrection guessed = dealer.Deal(1, wrongGuess);
        using DealerCorrection firstLate = dealer.Deal(0, first);
        using DealerCorrection again = dealer.Deal(0, first);
        Assert.Equal(firstLate.ForLastParty[0].data<long>().ToArray(), again.ForLastParty[0].data<long>().ToArray());
        foreach (var (request, correction) in new[] { (first, firstLate), (second, secondAhead) })
        {
            BeaverTriple[] triple = material.Select(p => p.NextTriple(request, p.ReceivesCorrections ? correction : null)).ToArray();
            long[] a = Sum(triple.Select(t => t.A)), b = Sum(triple.Select(t => t.B)), c = Sum(triple.Select(t => t.C));
            Assert.Equal(a.Zip(b, (x, y) => unchecked(x * y)), c);
        }
        // The wrong guess drew other masks: its correction shares no element with the piece actually used.
        Assert.Empty(guessed.ForLastParty[0].data<long>().ToArray().Intersect(secondAhead.ForLastParty[0].data<long>().ToArray()));
        Assert.NotEqual(MaterialExpansion.Label(1, second), MaterialExpansion.Label(1, wrongGuess));
        Assert.NotEqual(MaterialExpansion.Label(0, first), MaterialExpansion.Label(1, first));
    }

    [Fact]
    public void OnlyTheLastPartyReceivesCorrections()
    {
        using var scope = NewDisposeScope();
        var (dealer, material) = Setup(3);
        var request = MaterialRequest.Square(new long[] { 4 });
        using DealerCorrection correction = dealer.Next(request);
        Assert.False(material[0].ReceivesCorrections);
        Assert.True(material[2].ReceivesCorrections);
        var missing = Assert.Throws<InvalidOperationException>(() => material[2].NextSquare(request));
        Assert.Contains("correction", missing.Message);
    }

    [Fact]
    public void MaterialConsumedOutOfOrderIsRefused()
    {
        using var scope = NewDisposeScope();
        var (dealer, material) = Setup(2);
        var first = MaterialRequest.Square(new long[] { 4 });
        var second = MaterialRequest.Square(new long[] { 5 });
        using DealerCorrection c1 = dealer.Next(first);
        using DealerCorrection c2 = dealer.Next(second);
        var error = Assert.Throws<InvalidOperationException>(() => material[1].NextSquare(second, c2));
        Assert.Contains("expected material 0", error.Message);
    }

    [Fact]
    public void IncompatibleShapesAreRefusedUpFront()
    {
        var error = Assert.Throws<ArgumentException>(() => MaterialRequest.MatMul(new long[] { 3, 4 }, new long[] { 5, 2 }));
        Assert.Contains("[3, 4]", error.Message);
        Assert.Contains("[5, 2]", error.Message);
        Assert.Throws<ArgumentException>(() => RingShapes.Broadcast(new long[] { 3 }, new long[] { 4 }));
    }

    [Fact]
    public void MatMulShapesFollowTorch()
    {
        Assert.Equal(new long[] { 2, 5 }, RingShapes.MatMul(new long[] { 2, 3 }, new long[] { 3, 5 }));
        Assert.Equal(new long[] { 5 }, RingShapes.MatMul(new long[] { 3 }, new long[] { 3, 5 }));
        Assert.Equal(new long[] { 2 }, RingShapes.MatMul(new long[] { 2, 3 }, new long[] { 3 }));
        Assert.Equal(new long[] { 7, 2, 5 }, RingShapes.MatMul(new long[] { 7, 2, 3 }, new long[] { 3, 5 }));
    }

    private static (TrustedDealer, PartyMaterial[]) Setup(int parties)
    {
        Seed[] seeds = TrustedDealer.NewPartySeeds(parties);
        return (new TrustedDealer(seeds), Enumerable.Range(0, parties).Select(i => new PartyMaterial(i, parties, seeds[i])).ToArray());
    }

    private static long[] Sum(IEnumerable<ShareTensor> shares) =>
        Reference.Reconstruct(new SharedTensor(shares.ToArray()));
}
