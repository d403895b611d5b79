namespace SecureCompute.Learning.Models;

/// <summary>What to build: the model kind, its input features, classes (K; 1 for linear and logistic) and hidden widths.</summary>
/// <param name="Kind">The model.</param>
/// <param name="Features">Input features.</param>
/// <param name="Classes">Output classes K (softmax, MLP: ≥ 2); 1 for linear and logistic.</param>
/// <param name="Hidden">Hidden layer widths (MLP only).</param>
/// <param name="InitSeed">The public seed of the initial weights (every party draws the same).</param>
public sealed record ModelSpec(ModelKind Kind, int Features, int Classes, IReadOnlyList<int> Hidden, int InitSeed = 0)
{
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
        if (Kind == ModelKind.Mlp && (Hidden.Count == 0 || Hidden.Any(h => h < 1)))
        {
            problems.Add("An MLP needs one or more hidden layers of positive width.");
        }
        if (Kind != ModelKind.Mlp && Hidden.Count > 0)
        {
            problems.Add($"Only an MLP has hidden layers; a {Kind.ToString().ToLowerInvariant()} model has none.");
        }
        return problems;
    }
}
