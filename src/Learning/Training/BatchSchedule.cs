namespace SecureCompute.Learning.Training;

/// <summary>The public order of minibatches: each epoch a fresh permutation of the rows from a public seed.</summary>
public static class BatchSchedule
{
    /// <summary>Every epoch's batches of <paramref name="batchSize"/> row indices (the last one of an epoch may be short).</summary>
    public static IEnumerable<int[]> Batches(int rows, int batchSize, int epochs, int seed)
    {
        if (rows < 1 || batchSize < 1 || epochs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"A schedule needs rows ≥ 1, batch size ≥ 1 and epochs ≥ 0 (given {rows}, {batchSize}, {epochs}).");
        }
        var random = new Random(seed);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            int[] order = Enumerable.Range(0, rows).ToArray();
            random.Shuffle(order);
            for (int start = 0; start < rows; start += batchSize)
            {
                yield return order[start..Math.Min(rows, start + batchSize)];
            }
        }
    }

    /// <summary>Batches per epoch.</summary>
    public static int StepsPerEpoch(int rows, int batchSize) => (rows + batchSize - 1) / batchSize;
}
