namespace SecureCompute.Client.Bench;

/// <summary>Settings of an element-wise protocol benchmark (<c>bench compare</c>, <c>bench sigmoid</c>).</summary>
/// <param name="Elements">Elements per run.</param>
/// <param name="Parties">Simulated parties.</param>
/// <param name="Repeats">Timed runs after one warm-up; the median is reported.</param>
internal sealed record ElementwiseBenchOptions(long Elements, int Parties, int Repeats)
{
    /// <summary>Most elements accepted (several int64 tensors of this size are alive at once).</summary>
    public const long MaxElements = 50_000_000;

    /// <summary>Every problem with the settings, empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Elements is < 1 or > MaxElements)
        {
            problems.Add($"--elements must be between 1 and {MaxElements}, not {Elements}.");
        }
        if (Parties is < 2 or > MatMulBenchOptions.MaxParties)
        {
            problems.Add($"--parties must be between 2 and {MatMulBenchOptions.MaxParties}, not {Parties}.");
        }
        if (Repeats is < 1 or > 100)
        {
            problems.Add($"--repeats must be between 1 and 100, not {Repeats}.");
        }
        return problems;
    }
}
