namespace SecureCompute.Learning.Privacy.Accounting;

/// <summary>
/// Rényi DP of the sampled Gaussian mechanism, composed by adding the RDP curves, converted to (ε, δ) at the best
/// order — Opacus' <c>RDPAccountant</c>, order for order, so its figures can be checked against Opacus'.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>For each order α and each stretch (σ, q, T): RDP(α) = T · log A_α(q, σ)/(α − 1), with A_α the integral of
/// Mironov, Talwar and Zhang 2019 §3.3: a finite binomial sum for integer α, two erfc-weighted series for fractional α
/// (summed until a term falls below e^-30). At q = 1 it is the Gaussian's α/(2σ²).</item>
/// <item>Sum the RDP over stretches (RDP composes additively, also adaptively).</item>
/// <item>ε(α) = RDP(α) − (log δ + log α)/(α − 1) + log((α − 1)/α) (Balle et al. 2020, Theorem 21); report the
/// smallest ε and its α.</item>
/// </list>
/// </remarks>
public sealed class RdpAccountant : IPrivacyAccountant
{
    /// <summary>Opacus' default orders: 1.1, 1.2, …, 10.9, then 12, 13, …, 63.</summary>
    public static IReadOnlyList<double> DefaultOrders { get; } =
        Enumerable.Range(1, 99).Select(x => 1 + x / 10.0).Concat(Enumerable.Range(12, 52).Select(x => (double)x)).ToArray();

    private readonly IReadOnlyList<double> orders;

    /// <summary>An accountant over <paramref name="orders"/> (default <see cref="DefaultOrders"/>).</summary>
    public RdpAccountant(IReadOnlyList<double>? orders = null)
    {
        this.orders = orders ?? DefaultOrders;
        if (this.orders.Count == 0 || this.orders.Any(a => !(a > 1) || double.IsInfinity(a)))
        {
            throw new ArgumentException("RDP orders must be finite and greater than 1.", nameof(orders));
        }
    }

    /// <inheritdoc />
    public AccountantKind Kind => AccountantKind.Rdp;

    /// <inheritdoc />
    public PrivacyGuarantee Epsilon(IReadOnlyList<SampledGaussian> history, double delta)
    {
        SampledGaussian.EnsureValid(history);
        PrivacyAccountants.EnsureDelta(delta);
        var rdp = new double[orders.Count];
        foreach (var stretch in history)
        {
            for (int k = 0; k < orders.Count; k++)
            {
                rdp[k] += stretch.Steps * Rdp(stretch.SampleRate, stretch.NoiseMultiplier, orders[k]);
            }
        }
        var (epsilon, alpha) = Convert(rdp, delta);
        return new PrivacyGuarantee(epsilon, delta, AccountantKind.Rdp, Alpha: alpha);
    }

    /// <summary>The best (ε, α) for an RDP curve over this accountant's orders (step 3).</summary>
    internal (double Epsilon, double Alpha) Convert(IReadOnlyList<double> rdp, double delta)
    {
        double best = double.PositiveInfinity, bestAlpha = double.NaN;
        for (int k = 0; k < orders.Count; k++)
        {
            double a = orders[k];
            double epsilon = rdp[k] - (Math.Log(delta) + Math.Log(a)) / (a - 1) + Math.Log((a - 1) / a);
            if (epsilon < best)
            {
                best = epsilon;
                bestAlpha = a;
            }
        }
        return (best, bestAlpha);
    }

    /// <summary>One run's RDP at order <paramref name="alpha"/> (step 1).</summary>
    public static double Rdp(double q, double sigma, double alpha)
    {
        if (q == 0)
        {
            return 0;
        }
        if (q == 1)
        {
            return alpha / (2 * sigma * sigma);
        }
        return LogA(q, sigma, alpha) / (alpha - 1);
    }

    private static double LogA(double q, double sigma, double alpha) =>
        alpha == Math.Floor(alpha) ? LogAInteger(q, sigma, (int)alpha) : LogAFractional(q, sigma, alpha);

    private static double LogAInteger(double q, double sigma, int alpha)
    {
        double logA = double.NegativeInfinity, logBinomial = 0;
        for (int i = 0; i <= alpha; i++)
        {
            if (i > 0)
            {
                logBinomial += Math.Log(alpha - i + 1) - Math.Log(i);
            }
            double logCoefficient = logBinomial + i * Math.Log(q) + (alpha - i) * Math.Log(1 - q);
            logA = LogSpace.Add(logA, logCoefficient + (i * (double)i - i) / (2 * sigma * sigma));
        }
        return logA;
    }

    private static double LogAFractional(double q, double sigma, double alpha)
    {
        double logA0 = double.NegativeInfinity, logA1 = double.NegativeInfinity;
        double z0 = sigma * sigma * Math.Log(1 / q - 1) + 0.5;
        double coefficient = 1; // binom(α, i), built up term by term so that its sign is known
        for (int i = 0; ; i++)
        {
            if (i > 0)
            {
                coefficient *= (alpha - i + 1) / i;
            }
            double logCoefficient = Math.Log(Math.Abs(coefficient));
            double j = alpha - i;
            double logT0 = logCoefficient + i * Math.Log(q) + j * Math.Log(1 - q);
            double logT1 = logCoefficient + j * Math.Log(q) + i * Math.Log(1 - q);
            double logE0 = Math.Log(0.5) + LogSpace.Erfc((i - z0) / (Math.Sqrt(2) * sigma));
            double logE1 = Math.Log(0.5) + LogSpace.Erfc((z0 - j) / (Math.Sqrt(2) * sigma));
            double logS0 = logT0 + (i * (double)i - i) / (2 * sigma * sigma) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
            if (coefficient > 0)
            {
                logA0 = LogSpace.Add(logA0, logS0);
                logA1 = LogSpace.Add(logA1, logS1);
            }
            else
            {
                logA0 = LogSpace.Subtract(logA0, logS0);
                logA1 = LogSpace.Subtract(logA1, logS1);
            }
            if (Math.Max(logS0, logS1) < -30)
            {
                return LogSpace.Add(logA0, logA1);
            }
        }
    }
}
