using SecureCompute.Mpc.Approximations;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Training;

/// <summary>Public hyper-parameters of a training session (all of it is public metadata).</summary>
/// <param name="Model">Logistic or linear regression.</param>
/// <param name="Epochs">Passes over the pooled rows.</param>
/// <param name="BatchSize">Rows per SGD step.</param>
/// <param name="LearningRate">SGD step size.</param>
/// <param name="Seed">Seeds the public batch order: same seed, same batches.</param>
/// <param name="SigmoidDegree">Degree of the clipped Chebyshev sigmoid (odd, 3..31): 15 by default; 7 saves 2 rounds per step.</param>
/// <param name="ModelRecipients">The parties (session indices) the final model is revealed to; null: every party. The
/// coordinator and every other party learn nothing of it.</param>
public sealed record TrainingSpec(SessionModel Model = SessionModel.Logistic, int Epochs = 10, int BatchSize = 64, double LearningRate = 1.0, int Seed = 1,
    int SigmoidDegree = 15, IReadOnlyList<int>? ModelRecipients = null)
{
    /// <summary>The sigmoid approximation the secure program (and its fidelity twin) uses.</summary>
    public ChebyshevApproximation Sigmoid => SigmoidDegree == ChebyshevApproximation.Sigmoid.Series.Degree
        ? ChebyshevApproximation.Sigmoid
        : ChebyshevApproximation.Fit("sigmoid", x => 1 / (1 + Math.Exp(-x)), ChebyshevApproximation.Sigmoid.Lower, ChebyshevApproximation.Sigmoid.Upper, SigmoidDegree);

    /// <summary>Every problem with the hyper-parameters, empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Epochs is < 1 or > 10_000)
        {
            problems.Add($"epochs must be between 1 and 10000, not {Epochs}.");
        }
        if (BatchSize is < 1 or > 65_536)
        {
            problems.Add($"batch size must be between 1 and 65536, not {BatchSize}.");
        }
        if (!(LearningRate > 0 && LearningRate <= 100))
        {
            problems.Add($"learning rate must be in (0, 100], not {LearningRate}.");
        }
        if (SigmoidDegree is < 3 or > 31 || SigmoidDegree % 2 == 0)
        {
            problems.Add($"sigmoid degree must be odd and between 3 and 31, not {SigmoidDegree}.");
        }
        return problems;
    }

    /// <summary>The public batch order: for each epoch, a seeded permutation of the pooled row indices, cut into batches.</summary>
    public IEnumerable<int[]> Batches(int rows)
    {
        var random = new Random(Seed);
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            int[] order = Enumerable.Range(0, rows).ToArray();
            random.Shuffle(order);
            for (int start = 0; start < rows; start += BatchSize)
            {
                yield return order[start..Math.Min(rows, start + BatchSize)];
            }
        }
    }
}
