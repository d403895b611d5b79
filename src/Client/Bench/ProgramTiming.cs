using System.Diagnostics;
using SecureCompute.Learning.Backends;
using SecureCompute.Learning.Programs;
using SecureCompute.Mpc.Engine;

namespace SecureCompute.Client.Bench;

/// <summary>
/// The in-process half of <c>bench training</c>: the plaintext program (float64, exact functions) and the simulator
/// timed over one warm-up and the timed runs, beside the plaintext twin (the simulator's approximations) for fidelity.
/// </summary>
internal static class ProgramTiming
{
    /// <summary>Times <paramref name="program"/> on every party's <paramref name="rows"/>: run 0 is the warm-up, then <paramref name="repeats"/> timed runs.</summary>
    public static ProgramTimes Run(IReadOnlyList<PartyRows> rows, ProgramSpec program, int repeats)
    {
        var plain = new List<double>();
        var simulator = new List<double>();
        ProgramResult? exact = null, twin = null, simulated = null;
        for (int run = 0; run <= repeats; run++)
        {
            Console.Error.WriteLine($"bench: plaintext and simulator, run {run} of {repeats} (0 = warm-up) ...");
            var clock = Stopwatch.StartNew();
            exact = PlaintextProgram.Run(rows, program, FunctionMode.Exact);
            double plainSeconds = clock.Elapsed.TotalSeconds;
            twin ??= PlaintextProgram.Run(rows, program, FunctionMode.Approximate);
            using var mpc = new MpcEngine(rows.Count, reproducibleSeed: run);
            simulated = SecretProgram.Run(mpc, rows.Select(r => r.Rows).ToArray(), program.Model.Features, i => rows[i], program, Enumerable.Range(0, rows.Count).ToArray());
            if (run > 0)
            {
                plain.Add(plainSeconds / program.Epochs);
                simulator.Add(simulated.Seconds / program.Epochs);
            }
        }
        return new ProgramTimes(BenchOutput.Median(plain), BenchOutput.Median(simulator), exact!, twin!, simulated!);
    }
}

/// <summary>What <see cref="ProgramTiming"/> measured (medians, seconds per epoch) and the last runs' results.</summary>
/// <param name="PlaintextSecondsPerEpoch">The plaintext program, exact functions.</param>
/// <param name="SimulatorSecondsPerEpoch">The simulator, parties one after another.</param>
/// <param name="Exact">The plaintext baseline's result.</param>
/// <param name="Twin">The plaintext twin's result (the simulator's approximations).</param>
/// <param name="Simulated">The last simulator run's result.</param>
internal sealed record ProgramTimes(double PlaintextSecondsPerEpoch, double SimulatorSecondsPerEpoch, ProgramResult Exact, ProgramResult Twin, ProgramResult Simulated)
{
    /// <summary>Fidelity: max |Δw| of the simulator's model against the twin's.</summary>
    public double MaxAbsWeightDiff => Simulated.Weights.Zip(Twin.Weights, (a, b) => Math.Abs(a - b)).Max();
}
