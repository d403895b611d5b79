using System.CommandLine;

namespace SecureCompute.Client.Bench;

/// <summary>The <c>bench</c> command group: protocol benchmarks against plaintext baselines in the same process.</summary>
internal static class BenchCommand
{
    /// <summary>Builds <c>bench</c> and its subcommands.</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks: secure protocols timed beside plaintext TorchSharp in the same process.");
        bench.Subcommands.Add(MatMulBenchCommand.Create());
        bench.Subcommands.Add(WireBenchCommand.Create());
        bench.Subcommands.Add(TrainingBenchCommand.Create());
        bench.Subcommands.Add(ElementwiseBenchCommand.Create("compare",
            "Sign [x < 0] of N shared values among P simulated parties (exact), beside plaintext x < 0.", CompareBenchmark.Create()));
        bench.Subcommands.Add(ElementwiseBenchCommand.Create("sigmoid",
            "Sigmoid of N shared values in [-64, 64] among P simulated parties, beside plaintext float64 sigmoid.", SigmoidBenchmark.Create()));
        return bench;
    }
}
