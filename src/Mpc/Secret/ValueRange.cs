namespace SecureCompute.Mpc.Secret;

/// <summary>
/// A public interval [Lo, Hi] that a secret tensor's real values are known to lie in, from how they were made (a
/// z-score, a 0/1 label, a bounded approximation); <see cref="Unknown"/> when nothing is known. It is derived from
/// public facts only — shapes, public constants, approximation coefficients — never from a secret value, so carrying it
/// reveals nothing.
/// </summary>
/// <remarks>
/// The engine uses it for one decision: whether a product may keep 3f fractional bits untruncated
/// (<see cref="Fits"/>), which saves a truncation round where the range proves the ring cannot overflow.
/// </remarks>
/// <param name="Lo">The least value.</param>
/// <param name="Hi">The greatest value.</param>
public readonly record struct ValueRange(double Lo, double Hi)
{
    /// <summary>Nothing is known.</summary>
    public static ValueRange Unknown { get; } = new(double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>Integers 0 and 1 (a mask, a label, a one-hot row).</summary>
    public static ValueRange Bit { get; } = new(0, 1);

    /// <summary>Whether the range is bounded.</summary>
    public bool IsKnown => double.IsFinite(Lo) && double.IsFinite(Hi);

    /// <summary>The largest magnitude in the range.</summary>
    public double Magnitude => Math.Max(Math.Abs(Lo), Math.Abs(Hi));

    /// <summary>[−bound, bound].</summary>
    public static ValueRange Symmetric(double bound) => bound >= 0 && !double.IsNaN(bound)
        ? new ValueRange(-bound, bound)
        : throw new ArgumentOutOfRangeException(nameof(bound), bound, "A bound is a non-negative number.");

    /// <summary>The range of public values.</summary>
    public static ValueRange Of(IEnumerable<double> values)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (double v in values)
        {
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        return lo <= hi && double.IsFinite(lo) && double.IsFinite(hi) ? new ValueRange(lo, hi) : Unknown;
    }

    /// <summary>Whether values in this range, carried at <paramref name="fractionalBits"/> bits, stay below 2^61 in
    /// magnitude as ring elements: half the 2^62 that truncation and comparison need, a margin for rounding.</summary>
    public bool Fits(int fractionalBits) => IsKnown && Magnitude * Math.Pow(2, fractionalBits) < Math.Pow(2, 61);

    /// <summary>The smallest range holding both.</summary>
    public ValueRange Hull(ValueRange other) => new(Math.Min(Lo, other.Lo), Math.Max(Hi, other.Hi));

    /// <summary>a + b.</summary>
    public static ValueRange operator +(ValueRange a, ValueRange b) => Guard(a.Lo + b.Lo, a.Hi + b.Hi);

    /// <summary>−a.</summary>
    public static ValueRange operator -(ValueRange a) => new(-a.Hi, -a.Lo);

    /// <summary>a − b.</summary>
    public static ValueRange operator -(ValueRange a, ValueRange b) => a + -b;

    /// <summary>a·b.</summary>
    public static ValueRange operator *(ValueRange a, ValueRange b)
    {
        if (!a.IsKnown || !b.IsKnown)
        {
            return Unknown;
        }
        double p = a.Lo * b.Lo, q = a.Lo * b.Hi, r = a.Hi * b.Lo, s = a.Hi * b.Hi;
        return new ValueRange(Math.Min(Math.Min(p, q), Math.Min(r, s)), Math.Max(Math.Max(p, q), Math.Max(r, s)));
    }

    /// <summary>a·c for a public c.</summary>
    public ValueRange Times(double c) => this * new ValueRange(c, c);

    /// <summary>The sum of <paramref name="count"/> values in this range (a row sum, a matrix product's inner dimension).</summary>
    public ValueRange SumOf(long count) => count <= 0 ? new ValueRange(0, 0) : Guard(Lo * count, Hi * count);

    /// <summary>x² for x in this range.</summary>
    public ValueRange Squared() => !IsKnown ? Unknown : Lo <= 0 && Hi >= 0 ? new ValueRange(0, Magnitude * Magnitude) : new ValueRange(Math.Min(Lo * Lo, Hi * Hi), Magnitude * Magnitude);

    /// <inheritdoc />
    public override string ToString() => IsKnown ? $"[{Lo:G4}, {Hi:G4}]" : "unknown";

    private static ValueRange Guard(double lo, double hi) => double.IsNaN(lo) || double.IsNaN(hi) ? Unknown : new ValueRange(lo, hi);
}
