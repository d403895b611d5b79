using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;

namespace SecureCompute.Client.Demo;

/// <summary>Settings of one <c>demo</c> run.</summary>
/// <param name="Data">Folder whose <c>*.csv</c> files are the parties' rows.</param>
/// <param name="Parties">Re-split the pooled rows among this many parties (null: one party per file).</param>
/// <param name="Label">Label column (null: the last column).</param>
/// <param name="Spec">The session's public parameters: model, SGD, sigmoid degree, an MLP's hidden widths (null: 128, 128),
/// held-out fraction. Its session id, parties, label, classes and recipients are the run's, set once the data are read.</param>
/// <param name="Out">Folder for report.json and model.json.</param>
/// <param name="Trace">Where round spans and metrics go.</param>
/// <param name="Engine">Where the parties run: an embedded Orleans cluster (default) or the in-process simulator.</param>
/// <param name="Recipients">Who receives the model (party ids, client identities); null: every party and the demo's own client.</param>
/// <param name="Privacy">A differentially private session's budget and mechanism (<c>--epsilon</c>); null: non-private.</param>
/// <param name="Split">How the rows are divided among the parties: as the files hold them (or contiguous blocks of the
/// pooled rows with <c>--parties</c>), or label-skewed.</param>
internal sealed record DemoOptions(DirectoryInfo Data, int? Parties, string? Label, SessionSpec Spec, DirectoryInfo Out, TraceExport Trace = TraceExport.None,
    DemoEngine Engine = DemoEngine.Cluster, string[]? Recipients = null, DemoPrivacy? Privacy = null, DemoSplit Split = DemoSplit.Iid)
{
    /// <summary>The demo's session parameters for <paramref name="model"/> (the session id, parties and label come with the data).</summary>
    public static SessionSpec SessionParameters(SessionModel model, int epochs, int batchSize, double learningRate, int seed, int sigmoidDegree, int[]? hidden = null) =>
        new("demo", Array.Empty<string>(), "", model, epochs, batchSize, learningRate, seed, sigmoidDegree, ReproducibleSeed: seed, Hidden: hidden);

    /// <summary>Problems with the hyper-parameters alone, as the program states them (the data's features and classes are not known yet).</summary>
    public static IEnumerable<string> HyperParameterProblems(SessionSpec spec) =>
        SessionSpecs.ToProgram(spec with { Classes = spec.Model.IsMultiClass() ? 2 : 0 }, features: 1).Validate();

    /// <summary>Every problem with the settings, empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(HyperParameterProblems(Spec));
        if (!Data.Exists)
        {
            problems.Add($"--data: the folder {Data.FullName} does not exist.");
        }
        else if (Data.GetFiles("*.csv").Length == 0)
        {
            problems.Add($"--data: the folder {Data.FullName} has no *.csv files (one per party).");
        }
        if (Recipients is { Length: 0 })
        {
            problems.Add("--recipients names nobody.");
        }
        foreach (string r in Recipients ?? Array.Empty<string>())
        {
            if (Grains.Interfaces.Governance.OperatorIdentity.TryParse(r) is null && !Grains.Interfaces.Governance.OperatorIdentity.Valid(r))
            {
                problems.Add($"--recipients: '{r}' is neither a party id nor a client identity (party:name).");
            }
        }
        if (Parties is < 2 or > 16)
        {
            problems.Add($"--parties must be between 2 and 16, not {Parties}.");
        }
        if (Privacy is { } privacy)
        {
            if (!(privacy.Epsilon > 0 && privacy.Epsilon <= SessionPrivacy.MaxEpsilon))
            {
                problems.Add($"--epsilon must be in (0, {SessionPrivacy.MaxEpsilon}], not {privacy.Epsilon}.");
            }
            if (!(privacy.Delta > 0 && privacy.Delta < 1))
            {
                problems.Add($"--delta must be in (0, 1), not {privacy.Delta}.");
            }
            if (!(privacy.ClipNorm > 0 && privacy.ClipNorm <= 1000))
            {
                problems.Add($"--clip-norm must be in (0, 1000], not {privacy.ClipNorm}.");
            }
            if (privacy.Mechanism == PrivacyMechanism.Output && Spec.Model != SessionModel.Logistic)
            {
                problems.Add($"--mechanism output is built for logistic regression (its sensitivity needs a convex, Lipschitz, smooth loss), not --model {Spec.Model.Name()}; use dpsgd.");
            }
            if (privacy.StatisticsShare is not null && privacy.Mechanism != PrivacyMechanism.DpSgd)
            {
                problems.Add("--statistics private belongs to --mechanism dpsgd (output perturbation's sensitivity assumes the bounds' standardisation).");
            }
        }
        return problems;
    }
}

/// <summary>The demo's privacy settings: <c>--epsilon</c>, <c>--delta</c>, <c>--mechanism</c>, <c>--clip-norm</c>, <c>--bounds</c>, <c>--statistics</c>.</summary>
/// <param name="Epsilon">ε the session spends.</param>
/// <param name="Delta">δ.</param>
/// <param name="Mechanism">How the model is made private.</param>
/// <param name="ClipNorm">DP-SGD's clip norm C.</param>
/// <param name="Bounds">The public feature bounds (null: <c>bounds/NAME.csv</c> beside the data folder).</param>
/// <param name="StatisticsShare">With <c>--statistics private</c>: the private statistics' share of ε; null: the bounds alone.</param>
internal sealed record DemoPrivacy(double Epsilon, double Delta, PrivacyMechanism Mechanism, double ClipNorm, FileInfo? Bounds, double? StatisticsShare = null);

/// <summary>How the demo divides the rows among the parties (<c>--split</c>).</summary>
internal enum DemoSplit
{
    /// <summary>As the files hold them (the shipped splits are shuffled), or contiguous blocks of the pooled rows with <c>--parties</c>.</summary>
    Iid,

    /// <summary>
    /// Label skew: the pooled rows sorted by label (stable) and cut into one contiguous block per party, so each party
    /// holds few classes — McMahan et al.'s "pathological non-IID" partition, where federated averaging loses most.
    /// </summary>
    LabelSkew,
}

/// <summary>Where the demo runs the parties.</summary>
internal enum DemoEngine
{
    /// <summary>One process hosting a silo per party and a dealer silo (localhost clustering): the grains.</summary>
    Cluster,

    /// <summary>The in-process simulator: the same program, every party in one engine, no Orleans.</summary>
    Simulator,
}
