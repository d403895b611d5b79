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

    /// <summary>Fidelity: max |Δw| against a float64 run of the same program with the same approximations; null in a DP
    /// session, whose noise no twin outside the parties can draw.</summary>
    public required double? MaxAbsWeightDiff { get; init; }

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

    /// <summary>Every release of the session, each with the ε it spent (null: not private).</summary>
    public required DemoRelease[] Releases { get; init; }

    /// <summary>A DP session's guarantee and mechanism; null for a non-private session.</summary>
    public DemoPrivacyReport? Privacy { get; init; }

    /// <summary>Each party's privacy budget ledger after the session (cluster runs; null on the simulator, which has no ledgers).</summary>
    public IReadOnlyList<DemoBudget>? Budgets { get; init; }

    /// <summary>A DP session's non-private reference: the same program in float64 without DP (null for a non-private session).</summary>
    public ModelFigures? NonPrivate { get; init; }

    /// <summary>How the session trained: <c>mpc</c> or <c>federated</c>.</summary>
    public string Mode { get; init; } = "mpc";

    /// <summary>A federated session's parameters and costs; null in MPC mode.</summary>
    public DemoFederatedReport? Federated { get; init; }
}

/// <summary>One thing a session released.</summary>
/// <param name="Kind">statistics, loss, evaluation or model.</param>
/// <param name="Epsilon">The ε it spent; null when it is not differentially private.</param>
/// <param name="Delta">Its δ; null when it is not differentially private.</param>
/// <param name="What">In words.</param>
internal sealed record DemoRelease(string Kind, double? Epsilon, double? Delta, string What);

/// <summary>report.json's <c>privacy</c>: the session's guarantee, how it was met, and what it holds against.</summary>
internal sealed record DemoPrivacyReport
{
    /// <summary>The session's ε (its budget); the releases spend at most this.</summary>
    public required double Epsilon { get; init; }

    /// <summary>δ.</summary>
    public required double Delta { get; init; }

    /// <summary>The ε the accountant computes for the program as run (≤ <see cref="Epsilon"/>).</summary>
    public required double EpsilonSpent { get; init; }

    /// <summary>RDP's best order for <see cref="EpsilonSpent"/>.</summary>
    public double? Alpha { get; init; }

    /// <summary>dpsgd or output.</summary>
    public required string Mechanism { get; init; }

    /// <summary>The accountant.</summary>
    public required string Accountant { get; init; }

    /// <summary>σ: the noise's standard deviation over C, as added.</summary>
    public required double Sigma { get; init; }

    /// <summary>σ as accounted: over (1 + the sensitivity allowance of fixed-point clipping).</summary>
    public required double AccountedSigma { get; init; }

    /// <summary>C: DP-SGD's per-example clip norm (null for output perturbation).</summary>
    public required double? ClipNorm { get; init; }

    /// <summary>Output perturbation's L2 sensitivity Δ of the final weights (the noise is σ·Δ); null for DP-SGD.</summary>
    public double? Sensitivity { get; init; }

    /// <summary>Output perturbation's λ; null for DP-SGD.</summary>
    public double? Regularisation { get; init; }

    /// <summary>How many parties may pool their own noise and still face σ·C.</summary>
    public required int ToleratedCoalition { get; init; }

    /// <summary>How the rows were standardised: <c>bounds</c> (the public bounds alone) or <c>private</c> (noisy statistics, a release of their own).</summary>
    public string Statistics { get; init; } = "bounds";

    /// <summary>σ_s of the private statistics (null with the bounds alone).</summary>
    public double? StatisticsSigma { get; init; }

    /// <summary>How the noise is drawn.</summary>
    public required string Noise { get; init; }

    /// <summary>How batches are formed and what that means for the accounting.</summary>
    public required string Sampling { get; init; }

    /// <summary>Where the secure model's held-out figure comes from (not a session release).</summary>
    public required string Evaluation { get; init; }
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

/// <summary>A federated session's part of report.json.</summary>
internal sealed record DemoFederatedReport
{
    /// <summary>Rounds of federated averaging (the session's epochs).</summary>
    public required int Rounds { get; init; }

    /// <summary>Passes each party made over its own rows per round.</summary>
    public required int LocalEpochs { get; init; }

    /// <summary>Epochs of the pooled baseline: rounds × local epochs, the same number of passes over every row.</summary>
    public required int EpochEquivalents { get; init; }

    /// <summary>The L2 clip of each party's weight delta; null: not clipped.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>FedProx's μ (0: FedAvg).</summary>
    public required double Proximal { get; init; }

    /// <summary>How the rows were divided: <c>iid</c> or <c>label-skew</c>.</summary>
    public required string Split { get; init; }

    /// <summary>Seconds per epoch-equivalent of the federated run.</summary>
    public required double SecondsPerEpochEquivalent { get; init; }

    /// <summary>Held-out accuracy (classifiers) of federated averaging minus that of the pooled baseline at equal epochs.</summary>
    public double? HeldOutAccuracyGap { get; init; }

    /// <summary>What federated mode reveals that MPC mode does not.</summary>
    public required string Reveals { get; init; }
}
