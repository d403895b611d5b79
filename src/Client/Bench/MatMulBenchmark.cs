using System.Diagnostics;
using SecureCompute.Mpc.Encoding;
using SecureCompute.Mpc.Ring;
using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Client.Bench;

/// <summary>
/// Times, in one process: a secure N×N fixed-point matmul with truncation among P simulated parties, plaintext
/// float64 and float32 matmul, and one ring matmul each way. One warm-up, then the median of the repeats.
/// </summary>
internal sealed class MatMulBenchmark
{
    private const double InputBound = 4.0;
    private readonly MatMulBenchOptions options;
    private readonly Action<string> progress;

    /// <summary>Creates the benchmark; <paramref name="progress"/> receives one line per phase.</summary>
    public MatMulBenchmark(MatMulBenchOptions options, Action<string> progress)
    {
        this.options = options;
        this.progress = progress;
    }

    /// <summary>Runs every phase and returns the figures.</summary>
    public MatMulBenchResult Run()
    {
        int n = options.Size;
        using var mpc = new MpcEngine(options.Parties, new FixedPointFormat(options.FractionalBits), matMul: options.Algorithm);
        progress($"secure matmul, {options.Parties} parties, {mpc.MatMulAlgorithm}");
        var online = new List<double>();
        var critical = new List<double>();
        var offline = new List<double>();
        double maxError = 0;
        double maxProtocolError = 0;
        long rounds = 0, bytesOpened = 0, dealerBytes = 0;
        for (int run = 0; run <= options.Repeats; run++)
        {
            using var scope = NewDisposeScope();
            Tensor x = rand(n, n, dtype: ScalarType.Float64).mul_(2 * InputBound).sub_(InputBound);
            Tensor y = rand(n, n, dtype: ScalarType.Float64).mul_(2 * InputBound).sub_(InputBound);
            SharedTensor sx = mpc.ShareReal(x, 0);
            SharedTensor sy = mpc.ShareReal(y, 1 % options.Parties);
            mpc.ResetCounters();
            SharedTensor product = mpc.MatMulFixed(sx, sy);
            if (run > 0)
            {
                online.Add(mpc.OnlineTime.TotalMilliseconds);
                critical.Add(mpc.OnlineCriticalPath.TotalMilliseconds);
                offline.Add(mpc.OfflineTime.TotalMilliseconds);
            }
            rounds = mpc.Rounds;
            bytesOpened = mpc.BytesOpened;
            dealerBytes = mpc.DealerBytes;
            Tensor revealed = mpc.OpenReal(product);
            maxError = Math.Max(maxError, revealed.sub(x.matmul(y)).abs_().max().item<double>());
            // The product of the encoded inputs isolates protocol and truncation error from input quantisation.
            Tensor quantised = mpc.Format.Decode(mpc.Format.Encode(x)).matmul(mpc.Format.Decode(mpc.Format.Encode(y)));
            maxProtocolError = Math.Max(maxProtocolError, revealed.sub(quantised).abs_().max().item<double>());
        }

        progress("plaintext float64 and float32");
        double plain64 = Median(n, ScalarType.Float64, (a, b) => a.matmul(b));
        double plain32 = Median(n, ScalarType.Float32, (a, b) => a.matmul(b));

        progress("ring matmul, limb split");
        double limb = Median(n, ScalarType.Int64, (a, b) => RingMatMul.Multiply(a, b, RingMatMulAlgorithm.LimbSplit));
        double? managed = null;
        if (n <= 256)
        {
            progress("ring matmul, managed loop");
            managed = Median(n, ScalarType.Int64, (a, b) => RingMatMul.Multiply(a, b, RingMatMulAlgorithm.Managed));
        }
        double? int64 = null;
        bool? equal = null;
        if (!options.SkipInt64)
        {
            progress("ring matmul, libtorch int64 (slow on CPU: one run)");
            using var scope = NewDisposeScope();
            Tensor a = RandomRing(n), b = RandomRing(n);
            long start = Stopwatch.GetTimestamp();
            Tensor viaInt64 = RingMatMul.Multiply(a, b, RingMatMulAlgorithm.Int64);
            int64 = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            equal = viaInt64.equal(RingMatMul.Multiply(a, b, RingMatMulAlgorithm.LimbSplit)).all().item<bool>();
        }

        return new MatMulBenchResult
        {
            Size = n,
            Parties = options.Parties,
            FractionalBits = mpc.Format.FractionalBits,
            Threads = get_num_threads(),
            MatMulAlgorithm = mpc.MatMulAlgorithm.ToString(),
            OnlineMs = BenchOutput.Median(online),
            OnlineCriticalPathMs = BenchOutput.Median(critical),
            OfflineMs = BenchOutput.Median(offline),
            PlainFloat64Ms = plain64,
            PlainFloat32Ms = plain32,
            Int64RingMs = int64,
            LimbRingMs = limb,
            ManagedRingMs = managed,
            RingResultsEqual = equal,
            MaxAbsError = maxError,
            MaxProtocolError = maxProtocolError,
            Rounds = rounds,
            BytesOpened = bytesOpened,
            DealerBytes = dealerBytes,
        };
    }

    private double Median(int n, ScalarType type, Func<Tensor, Tensor, Tensor> multiply)
    {
        var times = new List<double>();
        for (int run = 0; run <= options.Repeats; run++)
        {
            using var scope = NewDisposeScope();
            Tensor a = type == ScalarType.Int64 ? RandomRing(n) : rand(n, n, dtype: type);
            Tensor b = type == ScalarType.Int64 ? RandomRing(n) : rand(n, n, dtype: type);
            long start = Stopwatch.GetTimestamp();
            _ = multiply(a, b);
            if (run > 0)
            {
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        return BenchOutput.Median(times);
    }

    private static Tensor RandomRing(int n) => randint(long.MinValue, long.MaxValue, new long[] { n, n }, dtype: ScalarType.Int64);

}
