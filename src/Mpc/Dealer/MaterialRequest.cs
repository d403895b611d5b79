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

    /// <summary>Boolean Beaver triple (a, b, a AND b) of XOR-shared 64-bit words.</summary>
    BooleanTriple,

    /// <summary>edaBit: a uniform r shared additively and, as a 64-bit word, by XOR.</summary>
    EdaBit,

    /// <summary>daBit: a uniform bit d shared by XOR and additively.</summary>
    DaBit,
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

    /// <summary>A boolean triple for x AND y (XOR-shared words).</summary>
    public static MaterialRequest BooleanAnd(long[] x, long[] y)
    {
        _ = RingShapes.Broadcast(x, y);
        return new(MaterialKind.BooleanTriple, x, y);
    }

    /// <summary>edaBits: uniform r, shared additively and as XOR-shared words.</summary>
    public static MaterialRequest EdaBits(long[] shape) => new(MaterialKind.EdaBit, shape, Array.Empty<long>());

    /// <summary>daBits: uniform bits, shared by XOR and additively.</summary>
    public static MaterialRequest DaBits(long[] shape) => new(MaterialKind.DaBit, shape, Array.Empty<long>());

    /// <summary>The components every party expands from its seed (the masks).</summary>
    internal MaterialComponent[] Seeded => Kind switch
    {
        MaterialKind.ElementwiseTriple or MaterialKind.MatMulTriple => new[] { Arithmetic(ShapeA), Arithmetic(ShapeB) },
        MaterialKind.BooleanTriple => new[] { Boolean(ShapeA), Boolean(ShapeB) },
        MaterialKind.DaBit => new[] { new MaterialComponent(ShapeA, ComponentSharing.Bit) },
        _ => new[] { Arithmetic(ShapeA) },
    };

    /// <summary>The derived components: parties 0..n−2 expand them, party n−1 gets a correction.</summary>
    internal MaterialComponent[] Corrected => Kind switch
    {
        MaterialKind.ElementwiseTriple => new[] { Arithmetic(RingShapes.Broadcast(ShapeA, ShapeB)) },
        MaterialKind.MatMulTriple => new[] { Arithmetic(RingShapes.MatMul(ShapeA, ShapeB)) },
        MaterialKind.Square => new[] { Arithmetic(ShapeA) },
        MaterialKind.Truncation => new[] { Arithmetic(ShapeA), Arithmetic(ShapeA) },
        MaterialKind.BooleanTriple => new[] { Boolean(RingShapes.Broadcast(ShapeA, ShapeB)) },
        MaterialKind.EdaBit => new[] { Boolean(ShapeA) },
        MaterialKind.DaBit => new[] { Arithmetic(ShapeA) },
        _ => throw new InvalidOperationException($"Unknown material kind {Kind}."),
    };

    private static MaterialComponent Arithmetic(long[] shape) => new(shape, ComponentSharing.Arithmetic);

    private static MaterialComponent Boolean(long[] shape) => new(shape, ComponentSharing.Boolean);

    /// <summary>Describes the request (public metadata only).</summary>
    public override string ToString() =>
        $"{Kind} [{string.Join(", ", ShapeA)}]" + (ShapeB.Length > 0 ? $" x [{string.Join(", ", ShapeB)}]" : "") + (Bits > 0 ? $" >> {Bits}" : "");
}
