namespace SecureCompute.Learning.Privacy.Accounting;

/// <summary>An (ε, δ) guarantee as an accountant states it.</summary>
/// <param name="Epsilon">ε: an upper bound (PRV: the estimate plus its error bound).</param>
/// <param name="Delta">δ.</param>
/// <param name="Accountant">Which accountant computed it.</param>
/// <param name="Alpha">RDP: the Rényi order at which the conversion to (ε, δ) was tightest; null for PRV.</param>
/// <param name="EpsilonEstimate">PRV: the point estimate before its error bound is added; null for RDP.</param>
public sealed record PrivacyGuarantee(double Epsilon, double Delta, AccountantKind Accountant, double? Alpha = null, double? EpsilonEstimate = null);

/// <summary>The accountants SecureCompute offers.</summary>
public enum AccountantKind
{
    /// <summary>Rényi DP of the sampled Gaussian (Mironov et al. 2019) with the conversion of Balle et al. 2020.</summary>
    Rdp,

    /// <summary>Numerical composition of privacy loss random variables (Gopi et al. 2021).</summary>
    Prv,
}

/// <summary>Computes the ε that a history of sampled Gaussian mechanisms spends at a given δ.</summary>
public interface IPrivacyAccountant
{
    /// <summary>Which accountant this is.</summary>
    AccountantKind Kind { get; }

    /// <summary>The (ε, δ) that <paramref name="history"/>, composed, satisfies.</summary>
    PrivacyGuarantee Epsilon(IReadOnlyList<SampledGaussian> history, double delta);
}

/// <summary>The accountant of each kind.</summary>
public static class PrivacyAccountants
{
    /// <summary>The accountant of <paramref name="kind"/>.</summary>
    public static IPrivacyAccountant For(AccountantKind kind) => kind switch
    {
        AccountantKind.Rdp => new RdpAccountant(),
        AccountantKind.Prv => new PrvAccountant(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown accountant."),
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless 0 &lt; δ &lt; 1.</summary>
    internal static void EnsureDelta(double delta)
    {
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in (0, 1).");
        }
    }
}
