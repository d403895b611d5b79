namespace SecureCompute.Learning.Models;

/// <summary>What to build: the model kind, its input features, classes (K; 1 for linear and logistic) and hidden widths.</summary>
/// <param name="Kind">The model.</param>
/// <param name="Features">Input features.</param>
/// <param name="Classes">Output classes K (softmax, MLP: ≥ 2); 1 for linear and logistic.</param>
/// <param name="Hidden">Hidden layer widths (MLP only).</param>
/// <param name="InitSeed">The public seed of the initial weights (every party draws the same).</param>
public sealed record ModelSpec(ModelKind Kind, int Features, int Classes, IReadOnlyList<int> Hidden, int InitSeed = 0)
{
    /// <summary>The most hidden layers a spec may ask for (every party allocates what a spec asks).</summary>
    public const int MaxHiddenLayers = 8;

    /// <summary>The widest hidden layer a spec may ask for.</summary>
    public const int MaxWidth = 4096;

    /// <summary>The most classes a spec may name.</summary>
    public const int MaxClasses = 1000;

    /// <summary>The MLP's hidden widths when none are named (as the digits benchmark: 64-128-128-10).</summary>
    public static IReadOnlyList<int> DefaultHidden { get; } = new[] { 128, 128 };

    /// <summary>Every problem with this spec (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Features < 1)
        {
            problems.Add($"A model needs at least one feature, not {Features}.");
        }
        bool multiClass = Kind is ModelKind.Softmax or ModelKind.Mlp;
        if (multiClass && Classes < 2)
        {
            problems.Add($"A {Kind.ToString().ToLowerInvariant()} model needs at least 2 classes, not {Classes}.");
        }
        if (!multiClass && Classes != 1)
        {
            problems.Add($"A {Kind.ToString().ToLowerInvariant()} model has one output, not {Classes} classes.");
        }
        if (Kind == ModelKind.Mlp && (Hidden.Count is 0 or > MaxHiddenLayers || Hidden.Any(h => h is < 1 or > MaxWidth)))
        {
            problems.Add($"An MLP needs 1 to {MaxHiddenLayers} hidden layers of width 1 to {MaxWidth}.");
        }
        if (Classes > MaxClasses)
        {
            problems.Add($"A model has at most {MaxClasses} classes, not {Classes}.");
        }
        if (Kind != ModelKind.Mlp && Hidden.Count > 0)
        {
            problems.Add($"Only an MLP has hidden layers; a {Kind.ToString().ToLowerInvariant()} model has none.");
        }
        return problems;
    }
}
