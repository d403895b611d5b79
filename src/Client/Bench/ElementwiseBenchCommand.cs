using System.CommandLine;
using SecureCompute.Mpc.Runtime;
using Spectre.Console;

namespace SecureCompute.Client.Bench;

/// <summary>Builds the element-wise benchmark commands (<c>bench compare</c>, <c>bench sigmoid</c>) with shared options.</summary>
internal static class ElementwiseBenchCommand
{
    /// <summary>A command named <paramref name="name"/> running <paramref name="benchmark"/>.</summary>
    public static Command Create(string name, string description, ElementwiseBenchmark benchmark)
    {
        var elements = new Option<long>("--elements") { Description = "Elements per run.", DefaultValueFactory = _ => 1_000_000 };
        var parties = new Option<int>("--parties") { Description = "Simulated parties (2..16).", DefaultValueFactory = _ => 3 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs after one warm-up; the median is reported.", DefaultValueFactory = _ => 3 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures to this JSON file." };
        var command = new Command(name, description) { elements, parties, repeats, json };
        command.SetAction(result =>
        {
            var options = new ElementwiseBenchOptions(result.GetValue(elements), result.GetValue(parties), result.GetValue(repeats));
            var problems = options.Validate().ToList();
            FileInfo? target = result.GetValue(json);
            if (BenchOutput.CheckTarget(target) is { } targetProblem)
            {
                problems.Add(targetProblem);
            }
            foreach (string problem in problems)
            {
                Console.Error.WriteLine($"error: {problem}");
            }
            return problems.Count > 0 ? 2 : Run(benchmark, options, target);
        });
        return command;
    }

    private static int Run(ElementwiseBenchmark benchmark, ElementwiseBenchOptions options, FileInfo? json)
    {
        ElementwiseBenchResult result;
        try
        {
            TorchRuntime.EnsureLoaded();
            TorchSharp.torch.set_num_threads(Environment.ProcessorCount);
            result = benchmark.Run(options, line => Console.Error.WriteLine($"bench: {line} ..."));
        }
        catch (TorchUnavailableException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 3;
        }
        var table = new Table().Title(Markup.Escape($"{result.Protocol}, {result.Elements:N0} elements, {result.Parties} parties, {result.Threads} threads"))
            .AddColumn("what").AddColumn(new TableColumn("ms").RightAligned()).AddColumn(new TableColumn("× plaintext").RightAligned());
        table.AddRow("secure online (all parties)", $"{result.OnlineMs:F1}", $"{result.OnlineOverPlain:F0}");
        table.AddRow("secure online, critical path", $"{result.OnlineCriticalPathMs:F1}", $"{result.OnlineCriticalPathMs / result.PlainMs:F0}");
        table.AddRow("secure offline (dealer + expansion)", $"{result.OfflineMs:F1}", $"{result.OfflineMs / result.PlainMs:F0}");
        table.AddRow("plaintext float64", $"{result.PlainMs:F2}", "1");
        AnsiConsole.Write(table);
        Console.WriteLine($"rounds {result.Rounds}; bytes opened {result.BytesOpened:N0}; dealer bytes {result.DealerBytes:N0}; " +
                          $"max |error| {result.MaxAbsError:E2}, mean {result.MeanAbsError:E2}");
        foreach (string line in benchmark.Notes?.Invoke() ?? Array.Empty<string>())
        {
            Console.WriteLine(line);
        }
        BenchOutput.WriteJson(result, json);
        return 0;
    }
}
