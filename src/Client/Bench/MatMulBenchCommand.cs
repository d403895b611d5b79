using System.CommandLine;
using SecureCompute.Client.Cli;
using SecureCompute.Mpc.Ring;
using SecureCompute.Mpc.Runtime;
using Spectre.Console;

namespace SecureCompute.Client.Bench;

/// <summary><c>bench matmul</c>: the secure matrix-multiply benchmark, printed as a table and optionally as JSON.</summary>
internal static class MatMulBenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var size = new Option<int>("--size") { Description = "N: the matrices are N×N.", DefaultValueFactory = _ => 256 };
        var parties = new Option<int>("--parties") { Description = "Simulated parties (2..16).", DefaultValueFactory = _ => 3 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs after one warm-up; the median is reported.", DefaultValueFactory = _ => 3 };
        var algorithm = new EnumOption<RingMatMulAlgorithm>("--algorithm", "Ring matmul of the secure product.", RingMatMulAlgorithm.Auto,
            new[] { ("auto", RingMatMulAlgorithm.Auto), ("limb", RingMatMulAlgorithm.LimbSplit), ("int64", RingMatMulAlgorithm.Int64) },
            aliases: new[] { ("limbsplit", RingMatMulAlgorithm.LimbSplit) });
        var skipInt64 = new Option<bool>("--skip-int64") { Description = "Leave out the libtorch int64 ring matmul (seconds for N = 1024 on CPU)." };
        var bits = new Option<int>("--fractional-bits") { Description = "Fixed-point fractional bits (8..24).", DefaultValueFactory = _ => 16 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures to this JSON file." };
        var command = new Command("matmul", "Secure N×N fixed-point matmul with truncation among P simulated parties, beside plaintext and ring matmul baselines.")
        {
            size, parties, repeats, algorithm, skipInt64, bits, json,
        };
        command.SetAction(result =>
        {
            var options = new MatMulBenchOptions(result.GetValue(size), result.GetValue(parties), result.GetValue(repeats),
                algorithm.ValueIn(result), result.GetValue(skipInt64), result.GetValue(bits));
            var problems = options.Validate().ToList();
            FileInfo? target = result.GetValue(json);
            if (BenchOutput.CheckTarget(target) is { } problem)
            {
                problems.Add(problem);
            }
            return problems.Count > 0 ? Fail(problems) : Run(options, result.GetValue(json));
        });
        return command;
    }

    private static int Run(MatMulBenchOptions options, FileInfo? json)
    {
        MatMulBenchResult result;
        try
        {
            TorchRuntime.EnsureLoaded();
            TorchSharp.torch.set_num_threads(Environment.ProcessorCount);
            result = new MatMulBenchmark(options, line => Console.Error.WriteLine($"bench matmul: {line} ..."))
                .Run();
        }
        catch (TorchUnavailableException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 3;
        }
        Print(result);
        BenchOutput.WriteJson(result, json);
        return 0;
    }

    private static void Print(MatMulBenchResult r)
    {
        var table = new Table().Title($"{r.Size}×{r.Size} matmul, {r.Parties} parties, f = {r.FractionalBits}, {r.Threads} threads")
            .AddColumn("what").AddColumn(new TableColumn("ms").RightAligned()).AddColumn(new TableColumn("× plain float64").RightAligned());
        void Row(string what, double? ms) =>
            table.AddRow(what, ms is { } v ? v.ToString(v < 10 ? "F3" : "F1") : "skipped", ms is { } w ? (w / r.PlainFloat64Ms).ToString("F1") : "");
        Row($"secure online (all parties, {r.MatMulAlgorithm})", r.OnlineMs);
        Row("secure online, critical path (slowest party per step)", r.OnlineCriticalPathMs);
        Row("secure offline (dealer + expansion)", r.OfflineMs);
        Row("plaintext float64", r.PlainFloat64Ms);
        Row("plaintext float32", r.PlainFloat32Ms);
        Row("ring matmul, limb split (5 float64 GEMMs)", r.LimbRingMs);
        Row("ring matmul, libtorch int64", r.Int64RingMs);
        Row("ring matmul, managed int64 loop", r.ManagedRingMs);
        AnsiConsole.Write(table);
        Console.WriteLine($"max |error| vs float64 on the real inputs {r.MaxAbsError:E2} (inputs in [-4, 4]); vs float64 on the encoded inputs {r.MaxProtocolError:E2}");
        Console.WriteLine($"rounds {r.Rounds}; bytes opened {r.BytesOpened:N0}; dealer bytes {r.DealerBytes:N0}");
        if (r.RingResultsEqual is { } equal)
        {
            Console.WriteLine($"ring matmul: limb split {(equal ? "equals" : "DIFFERS FROM")} int64 bit for bit; limb / int64 = {r.LimbOverInt64:F3}");
        }
    }

    private static int Fail(IEnumerable<string> problems)
    {
        foreach (string problem in problems)
        {
            Console.Error.WriteLine($"error: {problem}");
        }
        return 2;
    }
}
