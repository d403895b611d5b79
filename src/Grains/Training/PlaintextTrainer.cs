using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Training;

/// <summary>
/// The same SGD program in plain float64 on the pooled rows (possible only where all data is local, as in the demo):
/// the baseline for utility (exact sigmoid) and for fidelity (the secure program's approximation).
/// </summary>
public static class PlaintextTrainer
{
    /// <summary>Trains with <paramref name="activation"/> as the logistic link (ignored for linear regression).</summary>
    public static double[] Train(IReadOnlyList<PartyDataset> parties, TrainingSpec spec, Standardisation statistics, Func<double, double> activation) =>
        Train(parties, spec, statistics, activation, out _);

    /// <summary>Trains as <see cref="Train(IReadOnlyList{PartyDataset}, TrainingSpec, Standardisation, Func{double, double})"/>,
    /// also returning the per-epoch loss defined as in <see cref="TrainingResult.EpochLoss"/>.</summary>
    public static double[] Train(IReadOnlyList<PartyDataset> parties, TrainingSpec spec, Standardisation statistics, Func<double, double> activation,
        out double[] epochLoss) =>
        Train(parties, spec, statistics, activation, out epochLoss, null);

    /// <summary>Trains as <see cref="Train(IReadOnlyList{PartyDataset}, TrainingSpec, Standardisation, Func{double, double}, out double[])"/>,
    /// also returning the weights' <see cref="Evaluate"/> figure after each epoch (accuracy for logistic, mean squared
    /// error for linear regression); the last is the returned weights'. Evaluating reads the weights only, so the
    /// training is the same without it.</summary>
    public static double[] Train(IReadOnlyList<PartyDataset> parties, TrainingSpec spec, Standardisation statistics, Func<double, double> activation,
        out double[] epochLoss, out double[] epochQuality)
    {
        var quality = new List<double>();
        double[] w = Train(parties, spec, statistics, activation, out epochLoss, quality);
        epochQuality = quality.ToArray();
        return w;
    }

    private static double[] Train(IReadOnlyList<PartyDataset> parties, TrainingSpec spec, Standardisation statistics, Func<double, double> activation,
        out double[] epochLoss, List<double>? epochQuality)
    {
        int d = parties[0].Columns;
        (double[] x, double[] y) = Pooled(parties, statistics);
        var w = new double[d + 1];
        var losses = new List<double>();
        double squares = 0;
        int seen = 0;
        foreach (int[] batch in spec.Batches(y.Length))
        {
            var gradient = new double[d + 1];
            foreach (int r in batch)
            {
                double z = 0;
                for (int c = 0; c <= d; c++)
                {
                    z += x[r * (d + 1) + c] * w[c];
                }
                double error = (spec.Model == SessionModel.Logistic ? activation(z) : z) - y[r];
                squares += error * error;
                for (int c = 0; c <= d; c++)
                {
                    gradient[c] += x[r * (d + 1) + c] * error;
                }
            }
            for (int c = 0; c <= d; c++)
            {
                w[c] -= spec.LearningRate / batch.Length * gradient[c];
            }
            seen += batch.Length;
            if (seen == y.Length)
            {
                losses.Add(squares / y.Length);
                epochQuality?.Add(Quality(x, y, d, spec.Model, w));
                squares = 0;
                seen = 0;
            }
        }
        epochLoss = losses.ToArray();
        return w;
    }

    /// <summary>Accuracy (logistic, threshold ½) or mean squared error (linear) of <paramref name="weights"/> on the pooled rows.</summary>
    public static double Evaluate(IReadOnlyList<PartyDataset> parties, TrainingSpec spec, Standardisation statistics, double[] weights)
    {
        (double[] x, double[] y) = Pooled(parties, statistics);
        return Quality(x, y, parties[0].Columns, spec.Model, weights);
    }

    /// <summary>The exact sigmoid.</summary>
    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Accuracy or mean squared error of <paramref name="weights"/> on pooled, standardised rows <paramref name="x"/> (with the bias column).</summary>
    private static double Quality(double[] x, double[] y, int d, SessionModel model, double[] weights)
    {
        double total = 0;
        for (int r = 0; r < y.Length; r++)
        {
            double z = 0;
            for (int c = 0; c <= d; c++)
            {
                z += x[r * (d + 1) + c] * weights[c];
            }
            total += model == SessionModel.Logistic ? ((z >= 0 ? 1.0 : 0.0) == y[r] ? 1 : 0) : (z - y[r]) * (z - y[r]);
        }
        return total / y.Length;
    }

    private static (double[] X, double[] Y) Pooled(IReadOnlyList<PartyDataset> parties, Standardisation statistics)
    {
        int d = parties[0].Columns;
        var x = new List<double>();
        var y = new List<double>();
        foreach (PartyDataset p in parties)
        {
            double[] s = statistics.Apply(p.Features);
            for (int r = 0; r < p.Rows; r++)
            {
                x.AddRange(s.Skip(r * d).Take(d));
                x.Add(1);
            }
            y.AddRange(p.Labels);
        }
        return (x.ToArray(), y.ToArray());
    }
}
