using SecureCompute.Learning.Models;
using SecureCompute.Learning.Training;

namespace SecureCompute.Learning.Programs;

/// <summary>A training program's public parameters: the model, SGD, the batch order and the held-out rule.</summary>
/// <param name="Model">What to build.</param>
/// <param name="Epochs">Passes over the pooled training rows.</param>
/// <param name="BatchSize">Rows per step.</param>
/// <param name="LearningRate">SGD step size η (the gradient is averaged over the batch).</param>
/// <param name="Seed">Seeds the batch order and the held-out split (public).</param>
/// <param name="HeldOutFraction">Fraction of each party's rows held out for evaluation.</param>
public sealed record ProgramSpec(ModelSpec Model, int Epochs = 10, int BatchSize = 64, double LearningRate = 0.5, int Seed = 1,
    double HeldOutFraction = HeldOutSplit.DefaultFraction)
{
    /// <summary>Every problem with this spec (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = Model.Validate().ToList();
        if (Epochs < 1)
        {
            problems.Add($"epochs must be at least 1, not {Epochs}.");
        }
        if (BatchSize < 1)
        {
            problems.Add($"batch size must be at least 1, not {BatchSize}.");
        }
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            problems.Add($"learning rate must be a positive number, not {LearningRate}.");
        }
        if (!(HeldOutFraction >= 0 && HeldOutFraction < 1))
        {
            problems.Add($"the held-out fraction must be in [0, 1), not {HeldOutFraction}.");
        }
        return problems;
    }
}
