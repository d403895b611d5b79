using SecureCompute.Learning.Models;

namespace SecureCompute.Learning.Privacy;

/// <summary>
/// Output perturbation of L2-regularised logistic regression: train on shares with weight decay λ on rows whose norm
/// (bias coordinate included) is at most R, then each party adds its own discrete Gaussian noise to its share of the
/// final weights — standard deviation σ·Δ in all from the honest parties — and the noised model is the only release.
/// </summary>
/// <param name="NoiseMultiplier">σ: the noise over the sensitivity Δ (<see cref="Sensitivity"/>).</param>
/// <param name="Regularisation">λ: the objective is the batch mean of the logistic loss plus (λ/2)‖w‖² (bias included).</param>
/// <param name="RowNorm">R: each party scales its own standardised rows so that ‖(x, 1)‖ ≤ R (a public, per-row transform).</param>
/// <param name="LowerBounds">Public per-feature lower bounds (never read from the data).</param>
/// <param name="UpperBounds">Public per-feature upper bounds.</param>
/// <param name="ToleratedCoalition">t, as for DP-SGD; null for n − 1.</param>
/// <remarks>
/// The sensitivity (docs/privacy.md, "Output perturbation"): a row's slot zeroed out (the adjacency DP-SGD uses). The
/// per-step map w ↦ w − η(mean gradient + λw) has Jacobian I − ηH, H's eigenvalues in [a, b] with
/// a = λ − μR² and b = λ + s⁺R², where [−μ, s⁺] bounds the program's sigmoid slope (<see cref="SigmoidShape"/>,
/// proven from its coefficients). For η ≤ 2/(a + b) and a &gt; 0 each step is a (1 − ηa)-contraction of the distance
/// between the two runs, and the differing row adds at most ηL/b_min to it once per epoch, L = R·max|p − y|; over E
/// epochs of m steps, Δ ≤ (ηL/b_min) · Σ_{j&lt;E} (1 − ηa)^{jm}. Fixed-point arithmetic perturbs each run's step by at
/// most ρ = 4√P·2^-f, adding 2ρ/(ηa).
/// </remarks>
public sealed record OutputPerturbationSpec(double NoiseMultiplier, double Regularisation, double RowNorm, IReadOnlyList<double> LowerBounds,
    IReadOnlyList<double> UpperBounds, int? ToleratedCoalition = null)
{
    /// <summary>The default λ.</summary>
    public const double DefaultRegularisation = 0.05;

    /// <summary>The default R: standardised rows clipped to norm 1, so ‖(x, 1)‖ ≤ √2.</summary>
    public static readonly double DefaultRowNorm = Math.Sqrt(2);

    /// <summary>The largest norm a standardised row keeps (the bias coordinate takes the rest of R).</summary>
    public double FeatureNorm => Math.Sqrt(RowNorm * RowNorm - 1);

    /// <summary>The parties whose noise the guarantee relies on: n − t.</summary>
    public int HonestParties(int parties) => parties - (ToleratedCoalition ?? parties - 1);

    /// <summary>The loss's Lipschitz constant in w: max|p − y|·‖(x, 1)‖.</summary>
    public double Lipschitz(SigmoidShape sigmoid) => sigmoid.Residual * RowNorm;

    /// <summary>a: the least curvature of the regularised batch loss, λ − μR² (must be positive).</summary>
    public double LeastCurvature(SigmoidShape sigmoid) => Regularisation + sigmoid.MinSlope * RowNorm * RowNorm;

    /// <summary>b: the greatest curvature, λ + s⁺R².</summary>
    public double GreatestCurvature(SigmoidShape sigmoid) => Regularisation + sigmoid.MaxSlope * RowNorm * RowNorm;

    /// <summary>The largest learning rate the contraction argument allows: 2/(a + b).</summary>
    public double MaxLearningRate(SigmoidShape sigmoid) => 2 / (LeastCurvature(sigmoid) + GreatestCurvature(sigmoid));

    /// <summary>
    /// Δ: how far the released weights can move when one training row's slot is zeroed, for <paramref name="trainRows"/>
    /// rows in batches of <paramref name="batchSize"/> over <paramref name="epochs"/> epochs at learning rate
    /// <paramref name="learningRate"/>, with <paramref name="parameters"/> parameters at <paramref name="fractionalBits"/> bits.
    /// </summary>
    public double Sensitivity(int trainRows, int batchSize, int epochs, double learningRate, long parameters, int fractionalBits, SigmoidShape sigmoid)
    {
        ArgumentNullException.ThrowIfNull(sigmoid);
        int steps = (trainRows + batchSize - 1) / batchSize;
        int smallest = trainRows % batchSize == 0 ? Math.Min(batchSize, trainRows) : trainRows % batchSize;
        double a = LeastCurvature(sigmoid);
        double contraction = 1 - learningRate * a;
        double perEpoch = Math.Pow(contraction, steps), sum = 0, term = 1;
        for (int j = 0; j < epochs; j++)
        {
            sum += term;
            term *= perEpoch;
        }
        double rounding = 4 * Math.Sqrt(parameters) * Math.Pow(2, -fractionalBits);
        return learningRate * Lipschitz(sigmoid) / smallest * sum + 2 * rounding / (learningRate * a);
    }

    /// <summary>Every problem with this spec for a program (empty when valid).</summary>
    public IReadOnlyList<string> Validate(ModelKind kind, int features, int parties, double learningRate, SigmoidShape sigmoid)
    {
        var problems = new List<string>();
        if (kind != ModelKind.Logistic)
        {
            problems.Add($"output perturbation is built for logistic regression only (its sensitivity is derived for a convex, Lipschitz, smooth loss), not {kind}.");
        }
        if (!(NoiseMultiplier > 0 && NoiseMultiplier <= DpSgdSpec.MaxNoiseMultiplier))
        {
            problems.Add($"the noise multiplier must be in (0, {DpSgdSpec.MaxNoiseMultiplier}], not {NoiseMultiplier}.");
        }
        if (!(Regularisation > 0 && Regularisation <= 10))
        {
            problems.Add($"the regularisation λ must be in (0, 10], not {Regularisation}.");
        }
        if (!(RowNorm > 1 && RowNorm <= 100))
        {
            problems.Add($"the row norm R must be in (1, 100] (the bias coordinate takes 1), not {RowNorm}.");
        }
        else if (Regularisation > 0 && LeastCurvature(sigmoid) <= 0)
        {
            problems.Add($"the regularisation λ = {Regularisation} must exceed the sigmoid approximation's negative curvature {-sigmoid.MinSlope * RowNorm * RowNorm:G4} (its least slope {sigmoid.MinSlope:G3} times R²).");
        }
        else if (Regularisation > 0 && learningRate > MaxLearningRate(sigmoid))
        {
            problems.Add($"output perturbation needs a learning rate ≤ 2/(a + b) = {MaxLearningRate(sigmoid):G4}, not {learningRate}.");
        }
        if (LowerBounds.Count != features || UpperBounds.Count != features)
        {
            problems.Add($"a DP session needs public bounds for each of the {features} features ({LowerBounds.Count} lower and {UpperBounds.Count} upper given).");
        }
        if (ToleratedCoalition is { } t && (t < 0 || t >= parties))
        {
            problems.Add($"the tolerated coalition must be between 0 and {parties - 1} parties, not {t}.");
        }
        return problems;
    }

    /// <summary>The standardisation by the public bounds (as <see cref="DpSgdSpec.PublicStandardiser"/>).</summary>
    public Programs.Standardiser PublicStandardiser() => new DpSgdSpec(1, 1, LowerBounds, UpperBounds).PublicStandardiser();
}
