using System.CommandLine;
using SecureCompute.Client.Cli;
using SecureCompute.Client.Demo;
using SecureCompute.Grains.Data;
using SecureCompute.Mpc.Runtime;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Client.Bench;

/// <summary>
/// <c>bench training</c>: seconds per epoch of a training program in one process. The default demo's logistic workload
/// (<see cref="LogisticBench"/>); with <c>--parties</c> and/or <c>--rows</c>, the same workload over a grid of party and
/// row counts (<see cref="ScalingBench"/>); with <c>--model softmax|mlp</c>, a learning-layer program
/// (<see cref="LearningBench"/>).
/// </summary>
internal static class TrainingBenchCommand
{
    /// <summary>Epochs per run, except on the scaling grid.</summary>
    public const int DefaultEpochs = 10;

    /// <summary>Timed runs per engine, except on the scaling grid.</summary>
    public const int DefaultRepeats = 3;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var epochs = new Option<int?>("--epochs")
        {
            Description = $"Epochs per run [default: {DefaultEpochs}; {ScalingBenchOptions.DefaultEpochs} per point of the scaling grid].",
        };
        var repeats = new Option<int?>("--repeats")
        {
            Description = $"Timed runs per engine after one warm-up; the median is reported [default: {DefaultRepeats}; {ScalingBenchOptions.DefaultRepeats} per point of the scaling grid].",
        };
        var degree = new Option<int>("--sigmoid-degree") { Description = "Degree of the clipped Chebyshev sigmoid.", DefaultValueFactory = _ => 15 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures to this JSON file." };
        var tls = new Option<bool>("--tls") { Description = "Also time the embedded cluster with mutual TLS on every connection (development certificates)." };
        var model = new EnumOption<SessionModel>("--model", "The workload: logistic (the default demo's), softmax or mlp (data/digits).", SessionModel.Logistic,
            new[] { ("logistic", SessionModel.Logistic), ("softmax", SessionModel.Softmax), ("mlp", SessionModel.Mlp) });
        var data = new Option<DirectoryInfo?>("--data") { Description = "softmax, mlp: folder whose *.csv files are the parties' rows (default data/digits)." };
        var label = new Option<string?>("--label") { Description = "softmax, mlp: the label column (default: the last)." };
        var parties = new IntListOption("--parties",
            "softmax, mlp: split the rows among N parties (default: one per file). logistic: the party counts of a scaling grid, e.g. 2,3,5,8 (default 3 with --rows).",
            ScalingBenchOptions.MinParties, ScalingBenchOptions.MaxParties);
        var rows = new IntListOption("--rows",
            $"logistic: the row counts of a scaling grid, e.g. 569,10000,100000; rows beyond the data's {ScalingWorkload.DataRows} are synthetic (default {ScalingWorkload.DataRows} with --parties).",
            ScalingBenchOptions.MinParties, ScalingBenchOptions.MaxRows);
        var engine = new EnumOption<ScalingEngines>("--engine", "The scaling grid's engines: both, simulator or cluster.", ScalingEngines.Both,
            new[] { ("both", ScalingEngines.Both), ("simulator", ScalingEngines.Simulator), ("cluster", ScalingEngines.Cluster) });
        var hidden = new Option<string>("--hidden") { Description = "mlp: hidden layer widths, comma-separated.", DefaultValueFactory = _ => "128,128" };
        var command = new Command("training",
            "Seconds per epoch of a training program: plaintext, simulator and embedded cluster in one process (logistic: the default demo, audit trail on and off; or a scaling grid).")
        {
            epochs, repeats, degree, json, tls, model, data, label, parties, rows, engine, hidden,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            SessionModel kind = model.ValueIn(result);
            int[]? partyCounts = parties.ValuesIn(result), rowCounts = rows.ValuesIn(result);
            bool engineGiven = result.GetValue(engine) is not null;
            var problems = new List<string>();
            if (kind is SessionModel.Softmax or SessionModel.Mlp)
            {
                if (rowCounts is not null || engineGiven)
                {
                    problems.Add("--rows and --engine choose the logistic scaling grid, not a softmax or mlp workload.");
                }
                if (partyCounts is { Length: > 1 })
                {
                    problems.Add($"--parties takes one number for a softmax or mlp workload, not {partyCounts.Length}.");
                }
                if (problems.Count > 0)
                {
                    return Fail(problems);
                }
                return await LearningAsync(kind, result.GetValue(data), result.GetValue(label), partyCounts?[0],
                    result.GetValue(hidden)!, result.GetValue(epochs) ?? DefaultEpochs, result.GetValue(repeats) ?? DefaultRepeats, result.GetValue(json), cancellationToken);
            }
            if (result.GetValue(data) is not null || result.GetValue(label) is not null)
            {
                problems.Add("--data and --label choose a softmax or mlp workload; the logistic bench is the default demo's.");
            }
            bool scaling = partyCounts is not null || rowCounts is not null;
            if (!scaling && engineGiven)
            {
                problems.Add("--engine chooses the scaling grid's engines: give --parties and/or --rows too.");
            }
            if (scaling && result.GetValue(tls))
            {
                problems.Add("--tls belongs to the default logistic bench, not to the scaling grid.");
            }
            int runs = result.GetValue(repeats) ?? (scaling ? ScalingBenchOptions.DefaultRepeats : DefaultRepeats);
            // The default demo's hyper-parameters; the parties are the data's (or each point's, on the scaling grid).
            var spec = new SessionSpec("bench", Array.Empty<string>(), LogisticBench.Label, SessionModel.Logistic,
                result.GetValue(epochs) ?? (scaling ? ScalingBenchOptions.DefaultEpochs : DefaultEpochs), 64, 1.0, 1, result.GetValue(degree));
            problems.AddRange(DemoOptions.HyperParameterProblems(spec));
            if (runs is < 1 or > 20)
            {
                problems.Add($"--repeats must be between 1 and 20, not {runs}.");
            }
            ScalingBenchOptions? grid = scaling
                ? new ScalingBenchOptions(partyCounts ?? new[] { ScalingBenchOptions.DefaultParties }, rowCounts ?? new[] { ScalingWorkload.DataRows }, spec, runs,
                    engine.ValueIn(result))
                : null;
            problems.AddRange(grid?.Validate() ?? Array.Empty<string>());
            if (BenchOutput.CheckTarget(result.GetValue(json)) is { } targetProblem)
            {
                problems.Add(targetProblem);
            }
            if (problems.Count > 0)
            {
                return Fail(problems);
            }
            try
            {
                TorchRuntime.EnsureLoaded();
                return grid is not null
                    ? await ScalingBench.RunAsync(grid, result.GetValue(json), cancellationToken)
                    : await LogisticBench.RunAsync(spec, runs, result.GetValue(json), result.GetValue(tls), cancellationToken);
            }
            catch (TorchUnavailableException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 3;
            }
        });
        return command;
    }

    private static int Fail(IEnumerable<string> problems)
    {
        foreach (string problem in problems)
        {
            Console.Error.WriteLine($"error: {problem}");
        }
        return 2;
    }

    /// <summary>The learning-layer bench (<see cref="LearningBench"/>) on a data folder; returns the exit code.</summary>
    private static async Task<int> LearningAsync(SessionModel kind, DirectoryInfo? data, string? label, int? parties, string hidden, int epochs, int repeats, FileInfo? json,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        int[] widths = hidden.Split(',', StringSplitOptions.TrimEntries).Select(w => int.TryParse(w, out int v) && v is >= 1 and <= 4096 ? v : -1).ToArray();
        if (widths.Any(w => w < 0))
        {
            problems.Add($"--hidden must be comma-separated widths between 1 and 4096, not '{hidden}'.");
        }
        if (repeats is < 1 or > 20)
        {
            problems.Add($"--repeats must be between 1 and 20, not {repeats}.");
        }
        if (BenchOutput.CheckTarget(json) is { } targetProblem)
        {
            problems.Add(targetProblem);
        }
        DirectoryInfo folder = data ?? new DirectoryInfo(Path.Combine(Path.GetDirectoryName(DemoCommand.FindDefaultData().FullName)!, "digits"));
        var options = new DemoOptions(folder, parties, label, DemoOptions.SessionParameters(kind, epochs, 64, 0.5, 1, 15), new DirectoryInfo("."));
        problems.AddRange(options.Validate());
        if (problems.Count > 0)
        {
            return Fail(problems);
        }
        try
        {
            TorchRuntime.EnsureLoaded();
            IReadOnlyList<PartyDataset> rows = DemoData.Load(options);
            string[] ids = DemoData.PartyIds(options, rows);
            int classes = DemoData.Classes(kind, rows, folder.FullName);
            var template = new SessionSpec("bench", ids, rows[0].LabelName, kind, epochs, 64, 0.5, 1, Classes: classes,
                Hidden: kind == SessionModel.Mlp ? widths : null);
            LearningBenchResult figures = await LearningBench.RunAsync(rows, ids, template, repeats, cancellationToken);
            BenchOutput.WriteJson(figures, json);
            return 0;
        }
        catch (Exception ex) when (ex is DatasetException or Mpc.Encoding.FixedPointRangeException or SessionFailedException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
        catch (TorchUnavailableException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 3;
        }
    }
}
