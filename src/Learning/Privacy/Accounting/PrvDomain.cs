namespace SecureCompute.Learning.Privacy.Accounting;

/// <summary>
/// The grid on which privacy loss random variables are discretised: <see cref="Size"/> (a power of two) points from
/// <see cref="Min"/> to <see cref="Max"/>, moved right by <see cref="Shift"/> once their means are corrected.
/// </summary>
internal sealed record PrvDomain(double Min, double Max, int Size, double Shift = 0)
{
    /// <summary>The spacing of the grid.</summary>
    public double Step => (Max - Min) / (Size - 1);

    /// <summary>The i-th point.</summary>
    public double this[int i] => i == Size - 1 ? Max : Min + i * Step;

    /// <summary>
    /// A grid through 0 with spacing <paramref name="step"/> from −(n/2 − 1)·step to (n/2)·step that covers
    /// [−<paramref name="halfWidth"/>, <paramref name="halfWidth"/>], with n a power of two.
    /// </summary>
    /// <remarks>
    /// Opacus takes the smallest even n. A power of two only widens the grid (the loss is truncated later), and it keeps
    /// the transform radix-2: at Opacus' 391,728 points for σ = 1.5, q = 0.04, 2250 steps, the arbitrary-length
    /// (Bluestein) transform moved ε by 1e-3, against 1e-8 on 2^19 points (docs/privacy.md).
    /// </remarks>
    public static PrvDomain Symmetric(double halfWidth, double step)
    {
        double cells = Math.Ceiling(halfWidth / step);
        if (!(cells < MaxSize / 2))
        {
            throw new ArgumentException(
                $"The privacy loss grid would need more than {MaxSize:N0} points: ask for a larger ε error or fewer steps.");
        }
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * (long)cells + 2));
        long half = size / 2;
        return new PrvDomain(-(half - 1) * step, half * step, size);
    }

    /// <summary>The largest grid this accountant builds (2^25 points: 0.5 GB of complex numbers in the transform).</summary>
    public const int MaxSize = 1 << 25;

    /// <summary>The same grid moved right by <paramref name="by"/>.</summary>
    public PrvDomain ShiftRight(double by) => this with { Min = Min + by, Max = Max + by, Shift = Shift + by };
}
