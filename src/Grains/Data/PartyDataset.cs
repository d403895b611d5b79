namespace SecureCompute.Grains.Data;

/// <summary>One party's rows: the feature matrix and the label, read from its own CSV file. Never leaves its silo.</summary>
/// <param name="Source">The file the rows came from (for errors).</param>
/// <param name="FeatureNames">Feature columns, in file order (the label column removed).</param>
/// <param name="LabelName">The label column.</param>
/// <param name="Features">Row-major features, <see cref="Rows"/> × FeatureNames.Count.</param>
/// <param name="Labels">One label per row.</param>
/// <param name="RowLines">The file's line on which each row starts (for errors); null when row r is on line r + 2.</param>
public sealed record PartyDataset(string Source, IReadOnlyList<string> FeatureNames, string LabelName, double[] Features, double[] Labels,
    int[]? RowLines = null)
{
    /// <summary>Number of rows.</summary>
    public int Rows => Labels.Length;

    /// <summary>Number of features.</summary>
    public int Columns => FeatureNames.Count;

    /// <summary>Throws a <see cref="DatasetException"/> naming the first cell whose magnitude reaches <paramref name="maxMagnitude"/>.</summary>
    public void RequireWithin(double maxMagnitude)
    {
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                if (Math.Abs(Features[r * Columns + c]) >= maxMagnitude)
                {
                    throw new DatasetException(Source, $"the value is outside the fixed-point range (-{maxMagnitude:R}, {maxMagnitude:R})", LineOf(r), FeatureNames[c]);
                }
            }
            if (Math.Abs(Labels[r]) >= maxMagnitude)
            {
                throw new DatasetException(Source, $"the value is outside the fixed-point range (-{maxMagnitude:R}, {maxMagnitude:R})", LineOf(r), LabelName);
            }
        }
    }

    /// <summary>Throws a <see cref="DatasetException"/> naming the first row whose label is neither 0 nor 1 (a logistic regression's classes).</summary>
    public void RequireBinaryLabels()
    {
        for (int r = 0; r < Rows; r++)
        {
            if (Labels[r] is not (0 or 1))
            {
                throw new DatasetException(Source, "a logistic regression label must be 0 or 1", LineOf(r), LabelName);
            }
        }
    }

    /// <summary>Throws a <see cref="DatasetException"/> naming the first row whose label is not a class 0..<paramref name="classes"/>−1.</summary>
    public void RequireClasses(int classes)
    {
        for (int r = 0; r < Rows; r++)
        {
            double label = Labels[r];
            if (label != Math.Floor(label) || label < 0 || label >= classes)
            {
                throw new DatasetException(Source, $"a label must be a class 0..{classes - 1}", LineOf(r), LabelName);
            }
        }
    }

    /// <summary>
    /// The same rows with only <paramref name="columns"/> as features, in that order (the columns a session may use); a
    /// column the file lacks is an error naming it.
    /// </summary>
    public PartyDataset WithColumns(IReadOnlyList<string> columns)
    {
        int[] index = columns.Select(c => FeatureNames.ToList().IndexOf(c)).ToArray();
        if (Array.IndexOf(index, -1) is int missing and >= 0)
        {
            throw new DatasetException(Source, $"has no column '{columns[missing]}'");
        }
        if (index.SequenceEqual(Enumerable.Range(0, Columns)))
        {
            return this;
        }
        var features = new double[Rows * index.Length];
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < index.Length; c++)
            {
                features[r * index.Length + c] = Features[r * Columns + index[c]];
            }
        }
        return this with { FeatureNames = columns.ToArray(), Features = features };
    }

    /// <summary>The file's line on which row <paramref name="row"/> (from 0) starts.</summary>
    private int LineOf(int row) => RowLines?[row] ?? row + 2;

    /// <summary>Describes the dataset by its public metadata only.</summary>
    public override string ToString() => $"PartyDataset({Path.GetFileName(Source)}: {Rows} rows, {Columns} features, label '{LabelName}')";
}
