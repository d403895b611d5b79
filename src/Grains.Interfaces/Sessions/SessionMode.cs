namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>How a session trains (the spec's <c>mode</c>, written in lower case).</summary>
public enum SessionMode
{
    /// <summary>Full MPC training: every step on secret shares; only what the program releases leaves.</summary>
    Mpc,

    /// <summary>
    /// Federated averaging: each party trains locally on its own rows in its own silo, and only the row-weighted sum
    /// of the parties' weight deltas is released each round, through a dealer-free secure sum.
    /// </summary>
    Federated,
}

/// <summary>A session mode's name as specs, policies and reports write it.</summary>
public static class SessionModes
{
    /// <summary>Every mode, in declaration order.</summary>
    public static IReadOnlyList<SessionMode> All { get; } = Enum.GetValues<SessionMode>();

    /// <summary>The lower-case name (<c>mpc</c>, <c>federated</c>).</summary>
    public static string Name(this SessionMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>Every name, quoted and comma-separated, for error messages.</summary>
    public static string Names => string.Join(", ", All.Select(m => $"'{m.Name()}'"));

    /// <summary>The mode named <paramref name="name"/> (any case, surrounding space ignored); null for another word.</summary>
    public static SessionMode? Parse(string? name)
    {
        string text = name?.Trim() ?? "";
        return All.Where(m => m.Name().Equals(text, StringComparison.OrdinalIgnoreCase)).Select(m => (SessionMode?)m).FirstOrDefault();
    }
}

/// <summary>A federated session's parameters (the spec's <c>federated</c> section); the spec's epochs are its rounds.</summary>
/// <param name="LocalEpochs">Passes each party makes over its own training rows per round.</param>
/// <param name="ClipNorm">Each party's weight delta is scaled to L2 norm ≤ this before it is shared; null: not clipped.</param>
/// <param name="Proximal">FedProx's μ (0: FedAvg).</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.SessionFederated")]
public sealed record SessionFederated(
    [property: Id(0)] int LocalEpochs = 1,
    [property: Id(1)] double? ClipNorm = null,
    [property: Id(2)] double Proximal = 0);
