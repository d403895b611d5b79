using MathNet.Numerics;
using SecureCompute.Learning.Privacy.Accounting;

namespace SecureCompute.Learning.Tests.Privacy;

/// <summary>
/// The accountants against Opacus' own test vectors (opacus/tests/accountants_test.py) and against the exact privacy
/// curve of the Gaussian mechanism (Balle and Wang 2018), which neither accountant uses.
/// </summary>
public sealed class AccountantTests
{
    private const double Delta = 1e-5;

    [Fact]
    public void Rdp_matches_opacus_vector()
    {
        // Opacus: σ = 1.5, q = 0.04, int(90/0.04) = 2250 steps, δ = 1e-5 → 7.32911117143 (assertAlmostEqual: 7 places).
        var guarantee = new RdpAccountant().Epsilon([new SampledGaussian(1.5, 0.04, 2250)], Delta);
        Assert.Equal(7.32911117143, guarantee.Epsilon, 1e-7);
        Assert.NotNull(guarantee.Alpha);
        Assert.Contains(guarantee.Alpha!.Value, RdpAccountant.DefaultOrders);
    }

    [Fact]
    public void Prv_matches_opacus_vector_within_its_error_bound()
    {
        // Opacus: the same history → 6.777395712150674 (its upper bound: ε at δ − δ_err, plus ε_err = 0.01); ours must
        // agree within ε_err, and the bound must lie above the estimate by at least ε_err.
        var guarantee = new PrvAccountant().Epsilon([new SampledGaussian(1.5, 0.04, 2250)], Delta);
        Assert.Equal(6.777395712150674, guarantee.Epsilon, 0.01);
        // Opacus' code at its HEAD run here (SciPy 1.10.1, NumPy 1.24.2) gives 6.7791320778 on its 391,728-point grid
        // and 6.7791320670 on the 2^19-point grid this accountant builds; its test figure predates that SciPy.
        Assert.Equal(6.7791320670, guarantee.Epsilon, 1e-6);
        Assert.True(guarantee.Epsilon - guarantee.EpsilonEstimate!.Value >= 0.01);
        // Tighter than RDP's 7.33 on the same history.
        Assert.True(guarantee.Epsilon < new RdpAccountant().Epsilon([new SampledGaussian(1.5, 0.04, 2250)], Delta).Epsilon);
    }

    [Theory]
    [InlineData(AccountantKind.Rdp, 2250L, 1.416)]     // get_noise_multiplier(ε=8, δ=1e-5, q=0.04, epochs=90)
    [InlineData(AccountantKind.Rdp, 2000L, 1.3562)]    // … steps=2000
    [InlineData(AccountantKind.Prv, 2250L, 1.34765625)]
    [InlineData(AccountantKind.Prv, 2000L, 1.2915)]
    public void Noise_calibration_matches_opacus(AccountantKind kind, long steps, double expected)
    {
        var (sigma, achieved) = NoiseCalibration.NoiseMultiplier(PrivacyAccountants.For(kind), 8, Delta, 0.04, steps);
        Assert.Equal(expected, sigma, 5e-5); // Opacus asserts 4 places
        Assert.True(achieved.Epsilon <= 8, $"ε {achieved.Epsilon} exceeds the target");
        Assert.True(8 - achieved.Epsilon <= 0.01, $"ε {achieved.Epsilon} is more than the tolerance below the target");
    }

    [Fact]
    public void Calibration_never_overshoots_on_random_targets()
    {
        // Opacus' hypothesis test, on fresh random draws: the returned σ meets the target, within the tolerance.
        var random = new Random();
        double[] rates = [1e-3, 5e-3, 1e-2, 5e-2, 1e-1];
        double[] deltas = [1e-4, 1e-5, 1e-6];
        var rdp = new RdpAccountant();
        for (int trial = 0; trial < 6; trial++)
        {
            double target = 1 + 9 * random.NextDouble(), q = rates[random.Next(rates.Length)], delta = deltas[random.Next(deltas.Length)];
            long steps = (long)(random.Next(10, 60) / q);
            var (sigma, achieved) = NoiseCalibration.NoiseMultiplier(rdp, target, delta, q, steps);
            double check = rdp.Epsilon([new SampledGaussian(sigma, q, steps)], delta).Epsilon;
            Assert.True(check < target, $"σ {sigma} gives ε {check} > target {target} (q {q}, δ {delta}, {steps} steps)");
            Assert.Equal(achieved.Epsilon, check, 1e-12);
            Assert.True(target - check <= 0.01);
        }
    }

    [Theory]
    [InlineData(1.0, 1L)]
    [InlineData(2.0, 30L)]
    [InlineData(0.8, 4L)]
    [InlineData(5.0, 200L)]
    public void Full_batch_gaussian_agrees_with_its_exact_curve(double sigma, long steps)
    {
        // T Gaussian mechanisms of multiplier σ are one Gaussian mechanism with μ = √T/σ, whose exact curve is
        // δ(ε) = Φ(−ε/μ + μ/2) − e^ε Φ(−ε/μ − μ/2). Solve it for ε at δ by bisection: the exact ε.
        double mu = Math.Sqrt(steps) / sigma;
        double Phi(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));
        double DeltaAt(double eps) => Phi(-eps / mu + mu / 2) - Math.Exp(eps) * Phi(-eps / mu - mu / 2);
        double lo = 0, hi = 100;
        for (int k = 0; k < 200; k++)
        {
            double mid = (lo + hi) / 2;
            (lo, hi) = DeltaAt(mid) > Delta ? (mid, hi) : (lo, mid);
        }
        double exact = hi;

        var history = new[] { new SampledGaussian(sigma, 1, steps) };
        var prv = new PrvAccountant().Epsilon(history, Delta);
        // The PRV estimate is within its error bound of the truth, and its upper end is a valid bound.
        Assert.Equal(exact, prv.EpsilonEstimate!.Value, 0.01);
        Assert.True(prv.Epsilon >= exact, $"PRV's bound {prv.Epsilon} is below the exact ε {exact}");
        // RDP is an upper bound: at q = 1 the RDP curve is Tα/(2σ²) exactly, so its ε is ≥ the exact one, and the
        // closed-form minimum over the orders equals what the accountant reports.
        var rdp = new RdpAccountant().Epsilon(history, Delta);
        Assert.True(rdp.Epsilon >= exact, $"RDP's {rdp.Epsilon} is below the exact ε {exact}");
        double closedForm = RdpAccountant.DefaultOrders.Min(a =>
            steps * a / (2 * sigma * sigma) - (Math.Log(Delta) + Math.Log(a)) / (a - 1) + Math.Log((a - 1) / a));
        Assert.Equal(closedForm, rdp.Epsilon, 1e-12);
    }

    [Fact]
    public void Epsilon_is_monotone_in_noise_rate_and_steps()
    {
        var random = new Random();
        var rdp = new RdpAccountant();
        for (int trial = 0; trial < 10; trial++)
        {
            double sigma = 0.6 + 3 * random.NextDouble(), q = Math.Pow(10, -3 + 2.5 * random.NextDouble());
            long steps = random.Next(1, 5000);
            double Eps(double s, double r, long t) => rdp.Epsilon([new SampledGaussian(s, r, t)], Delta).Epsilon;
            double e = Eps(sigma, q, steps);
            Assert.True(Eps(sigma * 1.1, q, steps) < e, "more noise must spend less");
            Assert.True(Eps(sigma, Math.Min(1, q * 1.5), steps) > e, "a higher sample rate must spend more");
            Assert.True(Eps(sigma, q, steps * 2) > e, "more steps must spend more");
        }
    }

    [Fact]
    public void Stretches_compose_like_one_history()
    {
        // Two stretches of the same mechanism are one stretch of their total steps (RDP exactly, PRV within its error);
        // a stretch with a different σ lands between the two homogeneous histories.
        SampledGaussian a = new(1.2, 0.02, 700), b = new(1.2, 0.02, 500);
        var rdp = new RdpAccountant();
        Assert.Equal(rdp.Epsilon([a with { Steps = 1200 }], Delta).Epsilon, rdp.Epsilon([a, b], Delta).Epsilon, 1e-9);
        var prv = new PrvAccountant();
        var split = prv.Epsilon([a, b], Delta);
        var whole = prv.Epsilon([a with { Steps = 1200 }], Delta);
        Assert.Equal(whole.EpsilonEstimate!.Value, split.EpsilonEstimate!.Value, 0.02);

        var mixed = prv.Epsilon([a, b with { NoiseMultiplier = 2.0 }], Delta).EpsilonEstimate!.Value;
        var quieter = prv.Epsilon([a with { NoiseMultiplier = 2.0, Steps = 1200 }], Delta).EpsilonEstimate!.Value;
        Assert.InRange(mixed, quieter, whole.EpsilonEstimate!.Value);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_reason()
    {
        var rdp = new RdpAccountant();
        Assert.Contains("noise multiplier", Assert.Throws<ArgumentException>(() => rdp.Epsilon([new SampledGaussian(0, 0.1, 10)], Delta)).Message);
        Assert.Contains("sample rate", Assert.Throws<ArgumentException>(() => rdp.Epsilon([new SampledGaussian(1, 1.5, 10)], Delta)).Message);
        Assert.Contains("steps", Assert.Throws<ArgumentException>(() => rdp.Epsilon([new SampledGaussian(1, 0.1, 0)], Delta)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => rdp.Epsilon([new SampledGaussian(1, 0.1, 10)], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => rdp.Epsilon([new SampledGaussian(1, 0.1, 10)], 1));
        Assert.Contains("too small", Assert.Throws<ArgumentException>(() => NoiseCalibration.NoiseMultiplier(rdp, 1e-9, Delta, 1, 1000000)).Message);
    }
}
