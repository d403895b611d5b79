using System.CommandLine;
using System.Text.Json;
using SecureCompute.Client.Cli;
using SecureCompute.Client.Output;
using SecureCompute.Learning.Privacy.Accounting;

namespace SecureCompute.Client.Privacy;

/// <summary>The options both <c>privacy</c> subcommands share, and how their results are written.</summary>
internal sealed class PrivacyOptions
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>δ.</summary>
    public Option<double> Delta { get; } = new("--delta") { Description = "δ of the (ε, δ) guarantee; below 1/rows (e.g. 1e-5).", Required = true };

    /// <summary>q.</summary>
    public Option<double> SampleRate { get; } = new("--sample-rate") { Description = "q: the probability that a row is in a step's batch (batch size / rows; 1 for full or public batches).", Required = true };

    /// <summary>T.</summary>
    public Option<long?> Steps { get; } = new("--steps") { Description = "T: the number of noisy steps (or give --epochs)." };

    /// <summary>Epochs, as Opacus counts them: T = ⌊epochs / q⌋.</summary>
    public Option<double?> Epochs { get; } = new("--epochs") { Description = "Epochs instead of steps: T = floor(epochs / q), as Opacus counts." };

    /// <summary>Which accountant.</summary>
    public EnumOption<AccountantKind> Accountant { get; } = new("--accountant", "The accountant: RDP (Opacus' orders) or PRV (numerical, tighter).",
        AccountantKind.Rdp, [("rdp", AccountantKind.Rdp), ("prv", AccountantKind.Prv)]);

    /// <summary>Where the JSON goes.</summary>
    public Option<FileInfo> JsonFile { get; } = new("--json") { Description = "Also write the result as JSON to this file." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Delta, SampleRate, Steps, Epochs, Accountant, JsonFile })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The number of steps, or every problem with δ, q and the steps.</summary>
    public (long Steps, List<string> Problems) Read(ParseResult result)
    {
        var problems = new List<string>();
        double delta = result.GetValue(Delta), q = result.GetValue(SampleRate);
        if (!(delta > 0 && delta < 1))
        {
            problems.Add($"--delta must be in (0, 1), not {delta}.");
        }
        if (!(q > 0 && q <= 1))
        {
            problems.Add($"--sample-rate must be in (0, 1], not {q}.");
        }
        long? steps = result.GetValue(Steps);
        double? epochs = result.GetValue(Epochs);
        if (steps is null == epochs is null)
        {
            problems.Add("give exactly one of --steps and --epochs.");
            return (0, problems);
        }
        if (epochs is { } e)
        {
            if (!(e > 0) || double.IsInfinity(e))
            {
                problems.Add($"--epochs must be positive, not {e}.");
            }
            else if (q > 0 && q <= 1)
            {
                steps = (long)Math.Floor(e / q);
            }
        }
        if (steps < 1 && problems.Count == 0)
        {
            problems.Add($"the number of steps must be at least 1, not {steps}.");
        }
        return (steps ?? 0, problems);
    }

    /// <summary>Prints <paramref name="problems"/> to standard error; returns the exit code 2.</summary>
    public static int Fail(IEnumerable<string> problems)
    {
        foreach (string problem in problems)
        {
            Console.Error.WriteLine($"error: {problem}");
        }
        return 2;
    }

    /// <summary>Writes <paramref name="value"/> as JSON to the file given with --json, if any.</summary>
    public void WriteJson(ParseResult result, object value)
    {
        if (result.GetValue(JsonFile) is { } file)
        {
            AtomicFile.WriteAllText(file.FullName, JsonSerializer.Serialize(value, Json) + "\n");
            Console.WriteLine($"wrote {file.FullName}");
        }
    }

    /// <summary>The accountant's name as the options spell it.</summary>
    public static string Name(AccountantKind kind) => kind == AccountantKind.Rdp ? "rdp" : "prv";
}
