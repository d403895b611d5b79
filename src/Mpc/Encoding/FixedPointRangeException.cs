namespace SecureCompute.Mpc.Encoding;

/// <summary>A value cannot be encoded: NaN, infinite, or outside the fixed-point range.</summary>
/// <remarks>The message names the position and the range only; the offending value is data and is never included.</remarks>
public sealed class FixedPointRangeException : Exception
{
    /// <summary>Creates the exception for the element at <paramref name="index"/> of <paramref name="what"/>.</summary>
    public FixedPointRangeException(string what, IReadOnlyList<long> index, double maxMagnitude)
        : base($"{what}: the value at [{string.Join(", ", index)}] is NaN, infinite or outside the fixed-point range " +
               $"(-{maxMagnitude:R}, {maxMagnitude:R}).")
    {
        What = what;
        Index = index;
        MaxMagnitude = maxMagnitude;
    }

    /// <summary>The tensor, file or argument at fault.</summary>
    public string What { get; }

    /// <summary>The position of the first offending element.</summary>
    public IReadOnlyList<long> Index { get; }

    /// <summary>The exclusive bound on magnitudes.</summary>
    public double MaxMagnitude { get; }
}
