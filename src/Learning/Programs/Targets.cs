using SecureCompute.Learning.Models;

namespace SecureCompute.Learning.Programs;

/// <summary>A party's labels as a model's targets: one-hot rows for K classes, or the value itself.</summary>
public static class Targets
{
    /// <summary>
    /// The targets of <paramref name="rows"/> for <paramref name="model"/>, row-major (K per row for softmax and MLP, 1
    /// otherwise). A label that is not a class is an error naming the party and row — never the value, nor which
    /// classes the party holds.
    /// </summary>
    public static double[] Of(PartyRows rows, ModelSpec model)
    {
        bool multiClass = model.Kind is ModelKind.Softmax or ModelKind.Mlp;
        if (!multiClass)
        {
            if (model.Kind == ModelKind.Logistic && rows.Labels.Any(l => l is not (0 or 1)))
            {
                int row = Array.FindIndex(rows.Labels, l => l is not (0 or 1));
                throw new ArgumentException($"Party {rows.Party}, row {row + 1}: a logistic model needs labels 0 or 1.");
            }
            return rows.Labels.ToArray();
        }
        int k = model.Classes;
        var oneHot = new double[rows.Rows * k];
        for (int r = 0; r < rows.Rows; r++)
        {
            double label = rows.Labels[r];
            if (label != Math.Floor(label) || label < 0 || label >= k)
            {
                throw new ArgumentException($"Party {rows.Party}, row {r + 1}: the label is not a class in 0..{k - 1}.");
            }
            oneHot[r * k + (int)label] = 1;
        }
        return oneHot;
    }
}
