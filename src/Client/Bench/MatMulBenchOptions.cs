using SecureCompute.Mpc.Ring;

namespace SecureCompute.Client.Bench;

/// <summary>Settings of one <c>bench matmul</c> run.</summary>
/// <param name="Size">N, the matrices are N×N.</param>
/// <param name="Parties">Simulated parties.</param>
/// <param name="Repeats">Timed runs after one warm-up; the median is reported.</param>
/// <param name="Algorithm">Ring matmul algorithm of the secure product.</param>
/// <param name="SkipInt64">Leave out the libtorch int64 ring matmul (slow on CPU).</param>
/// <param name="FractionalBits">Fixed-point fractional bits.</param>
internal sealed record MatMulBenchOptions(int Size, int Parties, int Repeats, RingMatMulAlgorithm Algorithm, bool SkipInt64, int FractionalBits)
{
    /// <summary>Largest N accepted (an N×N int64 tensor of 8·N² bytes, several alive at once).</summary>
    public const int MaxSize = 8192;

    /// <summary>Most parties accepted.</summary>
    public const int MaxParties = 16;

    /// <summary>Every problem with the settings, empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Size is < 1 or > MaxSize)
        {
            problems.Add($"--size must be between 1 and {MaxSize}, not {Size}.");
        }
        if (Parties is < 2 or > MaxParties)
        {
            problems.Add($"--parties must be between 2 and {MaxParties}, not {Parties}.");
        }
        if (Repeats is < 1 or > 100)
        {
            problems.Add($"--repeats must be between 1 and 100, not {Repeats}.");
        }
        if (FractionalBits is < 8 or > 24)
        {
            problems.Add($"--fractional-bits must be between 8 and 24 (products of inputs in [-4, 4] must stay in range), not {FractionalBits}.");
        }
        return problems;
    }
}
