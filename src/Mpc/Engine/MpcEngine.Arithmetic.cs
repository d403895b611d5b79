using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Protocols;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Engine;

/// <summary>The arithmetic protocols — products, truncation, public scaling — as the simulator runs them.</summary>
public sealed partial class MpcEngine
{
    /// <summary>x ⊙ y in the ring (no truncation): one round.</summary>
    public SharedTensor Multiply(SharedTensor x, SharedTensor y)
    {
        BeaverTriple[] triples = Triples(MaterialRequest.Elementwise(x.Shape, y.Shape));
        return Step(ProtocolOp.Multiply, i => BeaverMultiplication.Begin(x.Shares[i], y.Shares[i], triples[i]),
            (i, opened) => BeaverMultiplication.Finish(triples[i], opened));
    }

    /// <summary>x ⊙ x in the ring (no truncation): one round.</summary>
    public SharedTensor Square(SharedTensor x)
    {
        MaterialRequest request = MaterialRequest.Square(x.Shape);
        SquarePair[] pairs = Deal(request, (p, c) => p.NextSquare(request, c));
        return Step(ProtocolOp.Square, i => BeaverSquare.Begin(x.Shares[i], pairs[i]), (i, opened) => BeaverSquare.Finish(pairs[i], opened));
    }

    /// <summary>x · y (matrix product) in the ring (no truncation): one round.</summary>
    public SharedTensor MatMul(SharedTensor x, SharedTensor y)
    {
        BeaverTriple[] triples = Triples(MaterialRequest.MatMul(x.Shape, y.Shape));
        return Step(ProtocolOp.MatMul, i => BeaverMatMul.Begin(x.Shares[i], y.Shares[i], triples[i]),
            (i, opened) => BeaverMatMul.Finish(triples[i], opened, MatMulAlgorithm));
    }

    /// <summary>x / 2^bits (default: the fractional bits), deterministic to one unit in the last place: one round.</summary>
    public SharedTensor Truncate(SharedTensor x, int? bits = null)
    {
        MaterialRequest request = MaterialRequest.Truncation(x.Shape, bits ?? Format.FractionalBits);
        TruncationPair[] pairs = Deal(request, (p, c) => p.NextTruncation(request, c));
        return Step(ProtocolOp.Truncate, i => Truncation.Begin(x.Shares[i], pairs[i]), (i, opened) => Truncation.Finish(pairs[i], opened));
    }

    /// <summary>Fixed-point x ⊙ y: multiply, then truncate (two rounds).</summary>
    public SharedTensor MultiplyFixed(SharedTensor x, SharedTensor y)
    {
        using SharedTensor product = Multiply(x, y);
        return Truncate(product);
    }

    /// <summary>Fixed-point x ⊙ x: square, then truncate (two rounds).</summary>
    public SharedTensor SquareFixed(SharedTensor x)
    {
        using SharedTensor product = Square(x);
        return Truncate(product);
    }

    /// <summary>Fixed-point x · y: matrix multiply, then truncate (two rounds).</summary>
    public SharedTensor MatMulFixed(SharedTensor x, SharedTensor y)
    {
        using SharedTensor product = MatMul(x, y);
        return Truncate(product);
    }

    /// <summary>
    /// x·c for one public real c, to about 2^-24 relative precision (one round): c is encoded with 24 significant bits,
    /// k = round(c·2^s), and the product is truncated by s bits, so a small factor such as a learning rate over a batch
    /// size keeps its precision instead of being rounded to a multiple of 2^-f. Needs |x|·|k| &lt; 2^62 in ring units.
    /// </summary>
    public SharedTensor Scale(SharedTensor x, double factor)
    {
        if (!double.IsFinite(factor) || factor == 0)
        {
            throw new ArgumentException("The factor must be finite and non-zero.", nameof(factor));
        }
        int shift = Math.Clamp(23 - (int)Math.Floor(Math.Log2(Math.Abs(factor))), 1, 61);
        long k = (long)Math.Round(factor * Math.Pow(2, shift));
        using SharedTensor product = x.MultiplyPublic(k);
        return Truncate(product, shift);
    }

    /// <summary>Fixed-point x ⊙ p for public reals p: local product, then truncate (one round).</summary>
    public SharedTensor MultiplyPublicFixed(SharedTensor x, Tensor publicReal)
    {
        using Tensor encoded = Format.Encode(publicReal, "public factor");
        using SharedTensor product = x.MultiplyPublic(encoded.to(Device));
        return Truncate(product);
    }
}
