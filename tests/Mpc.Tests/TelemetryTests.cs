using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SecureCompute.Mpc.Diagnostics;
using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

/// <summary>One span per round with public metadata only; counters that match the simulator's own counts.</summary>
public class TelemetryTests
{
    [Fact]
    public void OneSpanPerRoundAndNoDataInAnyTag()
    {
        var spans = new List<Activity>();
        using TracerProvider provider = Sdk.CreateTracerProviderBuilder().AddSource(MpcDiagnostics.SourceName).AddInMemoryExporter(spans).Build()!;
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        // Distinctive secret values: none of their digits may appear in any tag.
        double[] secret = { 123456.789, -98765.4321, 4242.4242, 31337.0 };
        SharedTensor x = mpc.ShareReal(tensor(secret), 0);
        SharedTensor y = mpc.ShareReal(tensor(new[] { 0.5, 0.25, -2.0, 1.5 }), 1);
        _ = mpc.MultiplyFixed(x, y);
        _ = mpc.LessThanZero(x);
        _ = mpc.RevealTo(x, 2);
        provider.ForceFlush();

        Activity[] all = spans.Where(s => Equals(s.GetTagItem(MpcDiagnostics.SessionTag), mpc.Session)).ToArray();
        // The simulator's coordinator records one round span per round; its engine, like a deployed party's, one party
        // span per round for each party it hosts.
        Activity[] mine = all.Where(s => s.OperationName == MpcDiagnostics.RoundSpan).ToArray();
        Activity[] partySpans = all.Where(s => s.OperationName == MpcDiagnostics.PartyRoundSpan).ToArray();
        Assert.Equal(mpc.Rounds, mine.Length);
        Assert.Equal(all.Length, mine.Length + partySpans.Length);
        Assert.Equal(3 * mpc.Rounds, partySpans.Length);
        for (int party = 0; party < 3; party++)
        {
            Assert.Equal(Enumerable.Range(0, (int)mpc.Rounds).Select(i => (object)(long)i),
                partySpans.Where(s => Equals(s.GetTagItem(MpcDiagnostics.PartyTag), party)).Select(s => s.GetTagItem(MpcDiagnostics.RoundIndexTag)).OrderBy(i => (long)i!));
        }
        Assert.Equal(Enumerable.Range(0, (int)mpc.Rounds).Select(i => (object)(long)i), mine.OrderBy(s => (long)s.GetTagItem(MpcDiagnostics.RoundIndexTag)!).Select(s => s.GetTagItem(MpcDiagnostics.RoundIndexTag)));
        Assert.All(mine, s => Assert.Equal(3, s.GetTagItem(MpcDiagnostics.PartiesTag)));
        Assert.Equal(mpc.RoundLog.Select(r => r.Op.ToString()), mine.OrderBy(s => (long)s.GetTagItem(MpcDiagnostics.RoundIndexTag)!).Select(s => s.GetTagItem(MpcDiagnostics.OperationTag)));

        string[] forbidden = secret.SelectMany(v => new[] { v.ToString("R"), ((long)Math.Abs(v)).ToString(), mpc.Format.Encode(v).ToString() }).ToArray();
        foreach (Activity span in all)
        {
            foreach (KeyValuePair<string, object?> tag in span.TagObjects)
            {
                string value = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                Assert.DoesNotContain(forbidden, f => value.Contains(f, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void CountersMatchTheSimulator()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(2);
        long rounds = 0, bytes = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MpcDiagnostics.SourceName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            bool mine = false;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                mine |= tag.Key == MpcDiagnostics.SessionTag && Equals(tag.Value, mpc.Session);
            }
            if (mine && instrument.Name == "mpc.rounds")
            {
                Interlocked.Add(ref rounds, value);
            }
            if (mine && instrument.Name == "mpc.bytes_opened")
            {
                Interlocked.Add(ref bytes, value);
            }
        });
        listener.Start();
        SharedTensor x = mpc.ShareReal(rand(100, dtype: ScalarType.Float64), 0);
        _ = mpc.SquareFixed(x);
        _ = mpc.Relu(x);
        Assert.Equal(mpc.Rounds, rounds);
        Assert.Equal(mpc.BytesOpened, bytes);
    }
}
