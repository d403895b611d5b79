using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using SecureCompute.Grains.Interfaces.Wire;

namespace SecureCompute.Client.Bench;

/// <summary><c>bench wire</c>: Orleans serialization of N ring elements as <c>long[]</c> (the baseline) and as <see cref="RingTensor"/>.</summary>
internal static class WireBenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var elements = new Option<int>("--elements") { Description = "Ring elements per message.", DefaultValueFactory = _ => 1_000_000 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs after one warm-up; the median is reported.", DefaultValueFactory = _ => 5 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures to this JSON file." };
        var command = new Command("wire", "Orleans serialization of ring elements: long[] against the RingTensor byte form.") { elements, repeats, json };
        command.SetAction(result =>
        {
            int n = result.GetValue(elements), runs = result.GetValue(repeats);
            FileInfo? target = result.GetValue(json);
            var problems = new List<string>();
            if (n is < 1 or > RingTensor.MaxElements)
            {
                problems.Add($"--elements must be between 1 and {RingTensor.MaxElements}, not {n}.");
            }
            if (runs is < 1 or > 100)
            {
                problems.Add($"--repeats must be between 1 and 100, not {runs}.");
            }
            if (BenchOutput.CheckTarget(target) is { } targetProblem)
            {
                problems.Add(targetProblem);
            }
            problems.ForEach(p => Console.Error.WriteLine($"error: {p}"));
            return problems.Count > 0 ? 2 : Run(n, runs, target);
        });
        return command;
    }

    private static int Run(int n, int runs, FileInfo? target)
    {
        Serializer serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var random = new Random(1);
        long[] values = Enumerable.Range(0, n).Select(_ => random.NextInt64()).ToArray();
        byte[] raw = new byte[n * sizeof(long)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        var ring = new RingTensor(new long[] { n }, raw);
        var (longOut, longIn, longBytes) = Time(runs, () => serializer.SerializeToArray(values), b => serializer.Deserialize<long[]>(b));
        var (ringOut, ringIn, ringBytes) = Time(runs, () => serializer.SerializeToArray(ring), b => serializer.Deserialize<RingTensor>(b));
        var result = new
        {
            Elements = n,
            LongArraySerializeMs = longOut, LongArrayDeserializeMs = longIn, LongArrayBytes = longBytes,
            RingTensorSerializeMs = ringOut, RingTensorDeserializeMs = ringIn, RingTensorBytes = ringBytes,
            SpeedupRoundTrip = (longOut + longIn) / (ringOut + ringIn),
        };
        Console.WriteLine($"{n:N0} elements: long[] {longOut:F1} + {longIn:F1} ms, {longBytes:N0} bytes; RingTensor {ringOut:F1} + {ringIn:F1} ms, " +
                          $"{ringBytes:N0} bytes; round trip {result.SpeedupRoundTrip:F1}× faster as bytes");
        BenchOutput.WriteJson(result, target);
        return 0;
    }

    private static (double Out, double In, int Bytes) Time(int runs, Func<byte[]> serialize, Action<byte[]> deserialize)
    {
        var outTimes = new List<double>();
        var inTimes = new List<double>();
        int size = 0;
        for (int run = 0; run <= runs; run++)
        {
            long start = Stopwatch.GetTimestamp();
            byte[] bytes = serialize();
            double outMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            deserialize(bytes);
            double inMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            size = bytes.Length;
            if (run > 0)
            {
                outTimes.Add(outMs);
                inTimes.Add(inMs);
            }
        }
        return (BenchOutput.Median(outTimes), BenchOutput.Median(inTimes), size);
    }
}
