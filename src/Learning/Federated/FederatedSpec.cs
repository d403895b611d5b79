namespace SecureCompute.Learning.Federated;

/// <summary>
/// Federated averaging's public parameters: the program's epochs are its rounds, its batch size and learning rate are
/// each party's local SGD's.
/// </summary>
/// <param name="LocalEpochs">Passes each party makes over its own training rows per round (E).</param>
/// <param name="ClipNorm">Each party's weight delta is scaled to L2 norm ≤ this before it is encoded (C); null: not
/// clipped (a delta outside the fixed-point range is then an error naming the round).</param>
/// <param name="Proximal">FedProx's μ: local SGD adds μ·(w − w_global) to every gradient; 0 is plain FedAvg.</param>
public sealed record FederatedSpec(int LocalEpochs = 1, double? ClipNorm = null, double Proximal = 0)
{
    /// <summary>The most local epochs per round.</summary>
    public const int MaxLocalEpochs = 1_000;

    /// <summary>The largest proximal coefficient μ.</summary>
    public const double MaxProximal = 100;

    /// <summary>Every problem with these parameters (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (LocalEpochs is < 1 or > MaxLocalEpochs)
        {
            problems.Add($"federated.localEpochs must be between 1 and {MaxLocalEpochs}, not {LocalEpochs}.");
        }
        if (ClipNorm is { } c && !(c > 0 && double.IsFinite(c)))
        {
            problems.Add($"federated.clipNorm must be a positive number, not {c}.");
        }
        if (!(Proximal >= 0 && Proximal <= MaxProximal))
        {
            problems.Add($"federated.proximal must be in [0, {MaxProximal}], not {Proximal}.");
        }
        return problems;
    }
}
