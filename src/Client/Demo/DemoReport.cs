namespace SecureCompute.Client.Demo;

/// <summary>report.json: the secure model against the plaintext baseline, and the session's cost.</summary>
internal sealed record DemoReport
{
    /// <summary>Where the parties ran.</summary>
    public required string Engine { get; init; }

    /// <summary>The session id, as in the <c>mpc.session</c> tag of every span and metric.</summary>
    public required string Session { get; init; }

    /// <summary>Number of parties.</summary>
    public required int Parties { get; init; }

    /// <summary>logistic, linear, softmax or mlp.</summary>
    public required string Model { get; init; }

    /// <summary>The secure model's figures.</summary>
    public required ModelFigures Secure { get; init; }

    /// <summary>The plaintext baseline: the same program in float64 with the exact functions, on the same rows, split and batches.</summary>
    public required ModelFigures Plaintext { get; init; }

    /// <summary>Fidelity: max |Δw| against a float64 run of the same program with the same approximations.</summary>
    public required double MaxAbsWeightDiff { get; init; }

    /// <summary>Rounds of the whole session.</summary>
    public required long Rounds { get; init; }

    /// <summary>Rounds of one SGD step.</summary>
    public required double RoundsPerStep { get; init; }

    /// <summary>Bytes moved by all opens.</summary>
    public required long BytesOpened { get; init; }

    /// <summary>Bytes the dealer sent.</summary>
    public required long DealerBytes { get; init; }

    /// <summary>Wall-clock seconds per epoch of the secure session.</summary>
    public required double SecondsPerEpoch { get; init; }

    /// <summary>What the session revealed besides the model.</summary>
    public required string[] Released { get; init; }

    /// <summary>Who received the model (cluster engine; null for the simulator, where every party is in one engine).</summary>
    public string[]? Recipients { get; init; }
}

/// <summary>Quality of one model on the pooled rows.</summary>
internal sealed record ModelFigures
{
    /// <summary>Fraction of the training rows classified correctly (classifiers: logistic, softmax, MLP), else null.</summary>
    public double? Accuracy { get; init; }

    /// <summary>Mean squared error on the training rows (linear), else null.</summary>
    public double? Mse { get; init; }

    /// <summary>Fraction of the held-out rows classified correctly (classifiers; evaluated on shares for the secure model), else null.</summary>
    public double? HeldOutAccuracy { get; init; }

    /// <summary>Mean squared error on the held-out rows (linear; evaluated on shares for the secure model), else null.</summary>
    public double? HeldOutMse { get; init; }

    /// <summary>The per-epoch loss: the mean squared error of the predictions (a classifier's is the Brier score).</summary>
    public required double[] EpochLoss { get; init; }

    /// <summary>
    /// <see cref="Accuracy"/> after each epoch (the plaintext baseline of a classifier; null for the secure model, whose
    /// accuracy is opened once, at the end, and for regression). The last equals <see cref="Accuracy"/>.
    /// </summary>
    public double[]? EpochAccuracy { get; init; }

    /// <summary><see cref="HeldOutAccuracy"/> after each epoch, as <see cref="EpochAccuracy"/>; the last equals <see cref="HeldOutAccuracy"/>.</summary>
    public double[]? EpochHeldOutAccuracy { get; init; }
}
