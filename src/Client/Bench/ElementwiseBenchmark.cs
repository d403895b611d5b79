using System.Diagnostics;
using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Client.Bench;

/// <summary>
/// Times one element-wise secure protocol on fresh random inputs beside its plaintext float64 counterpart, in one
/// process; one warm-up, then the median of the repeats.
/// </summary>
/// <param name="Protocol">Name shown and written.</param>
/// <param name="Inputs">Draws the plaintext inputs (float64 reals) for one run.</param>
/// <param name="Secure">The secure protocol on the shared input.</param>
/// <param name="Reference">The independent float64 reference of what the protocol should return.</param>
/// <param name="Plain">The plaintext computation timed as the baseline.</param>
/// <param name="Notes">Extra lines printed after the table (e.g. float64 models of alternatives), or null.</param>
internal sealed record ElementwiseBenchmark(
    string Protocol,
    Func<long, Tensor> Inputs,
    Func<MpcEngine, SharedTensor, SharedTensor> Secure,
    Func<MpcEngine, Tensor, Tensor> Reference,
    Func<Tensor, Tensor> Plain,
    Func<IReadOnlyList<string>>? Notes = null)
{
    /// <summary>Runs the benchmark.</summary>
    public ElementwiseBenchResult Run(ElementwiseBenchOptions options, Action<string> progress)
    {
        using var mpc = new MpcEngine(options.Parties);
        var online = new List<double>();
        var critical = new List<double>();
        var offline = new List<double>();
        var plain = new List<double>();
        double maxError = 0, errorSum = 0;
        long errorCount = 0, rounds = 0, bytesOpened = 0, dealerBytes = 0;
        for (int run = 0; run <= options.Repeats; run++)
        {
            progress(run == 0 ? $"{Protocol}: warm-up" : $"{Protocol}: run {run} of {options.Repeats}");
            using var scope = NewDisposeScope();
            Tensor x = Inputs(options.Elements);
            SharedTensor shared = mpc.ShareReal(x, 0);
            mpc.ResetCounters();
            SharedTensor result = Secure(mpc, shared);
            long start = Stopwatch.GetTimestamp();
            _ = Plain(x);
            double plainMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (run > 0)
            {
                online.Add(mpc.OnlineTime.TotalMilliseconds);
                critical.Add(mpc.OnlineCriticalPath.TotalMilliseconds);
                offline.Add(mpc.OfflineTime.TotalMilliseconds);
                plain.Add(plainMs);
            }
            rounds = mpc.Rounds;
            bytesOpened = mpc.BytesOpened;
            dealerBytes = mpc.DealerBytes;
            Tensor error = mpc.OpenReal(result).sub_(Reference(mpc, x)).abs_();
            maxError = Math.Max(maxError, error.max().item<double>());
            errorSum += error.sum().item<double>();
            errorCount += error.numel();
        }
        return new ElementwiseBenchResult
        {
            Protocol = Protocol,
            Elements = options.Elements,
            Parties = options.Parties,
            Threads = get_num_threads(),
            OnlineMs = BenchOutput.Median(online),
            OnlineCriticalPathMs = BenchOutput.Median(critical),
            OfflineMs = BenchOutput.Median(offline),
            PlainMs = BenchOutput.Median(plain),
            Rounds = rounds,
            BytesOpened = bytesOpened,
            DealerBytes = dealerBytes,
            MaxAbsError = maxError,
            MeanAbsError = errorSum / errorCount,
        };
    }

}
