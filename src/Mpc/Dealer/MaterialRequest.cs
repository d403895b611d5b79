namespace SecureCompute.Mpc.Dealer;

/// <summary>The kinds of correlated randomness the dealer provides.</summary>
public enum MaterialKind
{
    /// <summary>Beaver triple (a, b, a ⊙ b) for an element-wise product (broadcasting shapes).</summary>
    ElementwiseTriple,

    /// <summary>Beaver triple (A, B, A·B) for a ring matrix product (torch.matmul shape rules).</summary>
    MatMulTriple,

    /// <summary>Square pair (a, a ⊙ a).</summary>
    Square,

    /// <summary>Truncation material (r, msb(r), (r mod 2^63) &gt;&gt; m) of DESIGN §6.</summary>
    Truncation,
}

/// <summary>What one piece of correlated randomness is for: its kind, shapes and truncation bits. Public metadata.</summary>
/// <param name="Kind">The kind of material.</param>
/// <param name="ShapeA">Shape of the first (or only) operand.</param>
/// <param name="ShapeB">Shape of the second operand of a triple; empty otherwise.</param>
/// <param name="Bits">Truncation shift m; 0 otherwise.</param>
public sealed record MaterialRequest(MaterialKind Kind, long[] ShapeA, long[] ShapeB, int Bits = 0)
{
    /// <summary>A triple for x ⊙ y.</summary>
    public static MaterialRequest Elementwise(long[] x, long[] y)
    {
        _ = RingShapes.Broadcast(x, y);
        return new(MaterialKind.ElementwiseTriple, x, y);
    }

    /// <summary>A triple for x · y (matrix product).</summary>
    public static MaterialRequest MatMul(long[] x, long[] y)
    {
        _ = RingShapes.MatMul(x, y);
        return new(MaterialKind.MatMulTriple, x, y);
    }

    /// <summary>A square pair for x ⊙ x.</summary>
    public static MaterialRequest Square(long[] x) => new(MaterialKind.Square, x, Array.Empty<long>());

    /// <summary>Truncation material dividing by 2^<paramref name="bits"/>.</summary>
    public static MaterialRequest Truncation(long[] x, int bits)
    {
        if (bits is < 1 or > 61)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "Truncation shifts by 1..61 bits.");
        }
        return new(MaterialKind.Truncation, x, Array.Empty<long>(), bits);
    }

    /// <summary>Shapes of the components every party expands from its seed (the masks).</summary>
    internal long[][] SeededShapes => Kind switch
    {
        MaterialKind.ElementwiseTriple or MaterialKind.MatMulTriple => new[] { ShapeA, ShapeB },
        _ => new[] { ShapeA },
    };

    /// <summary>Shapes of the derived components: parties 0..n−2 expand them, party n−1 gets a correction.</summary>
    internal long[][] CorrectedShapes => Kind switch
    {
        MaterialKind.ElementwiseTriple => new[] { RingShapes.Broadcast(ShapeA, ShapeB) },
        MaterialKind.MatMulTriple => new[] { RingShapes.MatMul(ShapeA, ShapeB) },
        MaterialKind.Square => new[] { ShapeA },
        MaterialKind.Truncation => new[] { ShapeA, ShapeA },
        _ => throw new InvalidOperationException($"Unknown material kind {Kind}."),
    };

    /// <summary>Describes the request (public metadata only).</summary>
    public override string ToString() =>
        $"{Kind} [{string.Join(", ", ShapeA)}]" + (ShapeB.Length > 0 ? $" x [{string.Join(", ", ShapeB)}]" : "") + (Bits > 0 ? $" >> {Bits}" : "");
}
