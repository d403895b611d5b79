namespace SecureCompute.Learning.Privacy.Accounting;

/// <summary>
/// One stretch of a private computation's history: <paramref name="Steps"/> runs of the sampled Gaussian mechanism,
/// each on a batch that holds every row with probability <paramref name="SampleRate"/>, with Gaussian noise of
/// standard deviation <paramref name="NoiseMultiplier"/> times the sensitivity.
/// </summary>
/// <remarks>
/// A release that is not subsampled (a model perturbed once, a statistic) is the same mechanism at sample rate 1 and
/// one step, so one type describes every release a session makes and the accountant composes them all.
/// </remarks>
public sealed record SampledGaussian(double NoiseMultiplier, double SampleRate, long Steps)
{
    /// <summary>Every problem with this stretch (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(NoiseMultiplier > 0) || double.IsPositiveInfinity(NoiseMultiplier))
        {
            problems.Add($"the noise multiplier must be a positive finite number, not {NoiseMultiplier}.");
        }
        if (!(SampleRate > 0 && SampleRate <= 1))
        {
            problems.Add($"the sample rate must be in (0, 1], not {SampleRate}.");
        }
        if (Steps < 1)
        {
            problems.Add($"the number of steps must be at least 1, not {Steps}.");
        }
        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming every problem with <paramref name="history"/>.</summary>
    internal static void EnsureValid(IReadOnlyList<SampledGaussian> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            throw new ArgumentException("The history is empty: there is nothing to account.", nameof(history));
        }
        var problems = history.SelectMany((h, i) => h.Validate().Select(p => history.Count == 1 ? p : $"stretch {i}: {p}")).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(history));
        }
    }
}
