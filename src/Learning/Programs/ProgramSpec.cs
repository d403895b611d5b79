using SecureCompute.Learning.Models;
using SecureCompute.Learning.Training;
using SecureCompute.Mpc.Approximations;

namespace SecureCompute.Learning.Programs;

/// <summary>A training program's public parameters: the model, SGD, the batch order and the held-out rule.</summary>
/// <param name="Model">What to build.</param>
/// <param name="Epochs">Passes over the pooled training rows.</param>
/// <param name="BatchSize">Rows per step.</param>
/// <param name="LearningRate">SGD step size η (the gradient is averaged over the batch).</param>
/// <param name="Seed">Seeds the batch order and the held-out split (public).</param>
/// <param name="HeldOutFraction">Fraction of each party's rows held out for evaluation.</param>
/// <param name="SigmoidDegree">Degree of the clipped Chebyshev sigmoid (odd, 3..31) a logistic model uses: 15 by
/// default; 7 saves 2 rounds per step.</param>
/// <param name="Privacy">DP-SGD's parameters for a differentially private program; null for a non-private one.</param>
/// <param name="Output">Output perturbation (logistic regression): weight decay, row clipping, noise on the final weights; null otherwise.</param>
/// <param name="Federated">Federated averaging's parameters (<see cref="Federated.FederatedProgram"/>): the epochs are
/// then rounds, the batch size and learning rate each party's local SGD's; null for MPC training.</param>
public sealed record ProgramSpec(ModelSpec Model, int Epochs = 10, int BatchSize = 64, double LearningRate = 0.5, int Seed = 1,
    double HeldOutFraction = HeldOutSplit.DefaultFraction, int SigmoidDegree = 15, Privacy.DpSgdSpec? Privacy = null,
    Privacy.OutputPerturbationSpec? Output = null, Federated.FederatedSpec? Federated = null)
{
    /// <summary>The most epochs a spec may ask for (every party runs what a spec asks).</summary>
    public const int MaxEpochs = 10_000;

    /// <summary>The largest batch.</summary>
    public const int MaxBatchSize = 65_536;

    /// <summary>The largest learning rate.</summary>
    public const double MaxLearningRate = 100;

    /// <summary>The sigmoid approximation both backends evaluate (the secret program and its fidelity twin).</summary>
    public ChebyshevApproximation Sigmoid => SigmoidDegree == ChebyshevApproximation.Sigmoid.Series.Degree
        ? ChebyshevApproximation.Sigmoid
        : ChebyshevApproximation.Fit("sigmoid", x => 1 / (1 + Math.Exp(-x)), ChebyshevApproximation.Sigmoid.Lower, ChebyshevApproximation.Sigmoid.Upper, SigmoidDegree);

    /// <summary>Every problem with this spec (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = Model.Validate().ToList();
        if (Epochs is < 1 or > MaxEpochs)
        {
            problems.Add($"epochs must be between 1 and {MaxEpochs}, not {Epochs}.");
        }
        if (BatchSize is < 1 or > MaxBatchSize)
        {
            problems.Add($"batch size must be between 1 and {MaxBatchSize}, not {BatchSize}.");
        }
        if (!(LearningRate > 0 && LearningRate <= MaxLearningRate))
        {
            problems.Add($"learning rate must be in (0, {MaxLearningRate}], not {LearningRate}.");
        }
        if (SigmoidDegree is < 3 or > 31 || SigmoidDegree % 2 == 0)
        {
            problems.Add($"sigmoid degree must be odd and between 3 and 31, not {SigmoidDegree}.");
        }
        if (!(HeldOutFraction >= 0 && HeldOutFraction < 1))
        {
            problems.Add($"the held-out fraction must be in [0, 1), not {HeldOutFraction}.");
        }
        if (Privacy is not null && Output is not null)
        {
            problems.Add("a program is private by DP-SGD or by output perturbation, not both.");
        }
        if (Federated is not null)
        {
            problems.AddRange(Federated.Validate());
            if (Privacy is not null || Output is not null)
            {
                problems.Add("federated mode has no differential privacy yet (client-level DP is not built): leave out the privacy section.");
            }
        }
        return problems;
    }
}
