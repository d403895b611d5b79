using System.Text.Json;
using SecureCompute.Client.Bench;

namespace SecureCompute.Client.Tests;

/// <summary><c>bench training --parties … --rows …</c> at a small scale, and the pieces it is made of.</summary>
public sealed class ScalingBenchTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-scaling-").FullName;

    /// <summary>
    /// A 2 × 2 grid on the simulator: every point in the JSON, with its time and bytes; finite exponents; bytes per party
    /// do not grow with the parties (each party's traffic per open is its own share up and the opened value down) and
    /// grow about linearly with the rows (steps per epoch ∝ rows; tolerance for the per-epoch set-up and release).
    /// </summary>
    [Fact]
    public void SmallGridOnTheSimulatorReportsEveryPointAndFiniteExponents()
    {
        string json = Path.Combine(folder, "scaling.json");
        (int exit, string output, string error) = CliRun.Run("bench", "training", "--parties", "2,3", "--rows", "200,400", "--engine", "simulator", "--json", json);
        Assert.True(exit == 0, error);
        Assert.Contains("log-log least squares", output);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = document.RootElement;
        Assert.Equal(1, root.GetProperty("epochs").GetInt32());
        Assert.Equal("simulator", root.GetProperty("engines").GetString());
        JsonElement[] points = root.GetProperty("scaling").EnumerateArray().ToArray();
        Assert.Equal(new[] { (2, 200), (2, 400), (3, 200), (3, 400) },
            points.Select(p => (p.GetProperty("parties").GetInt32(), p.GetProperty("rows").GetInt32())));
        foreach (JsonElement p in points)
        {
            Assert.Equal(0, p.GetProperty("syntheticRows").GetInt32());
            Assert.True(p.GetProperty("simulatorSecondsPerEpoch").GetDouble() > 0);
            Assert.Equal(JsonValueKind.Null, p.GetProperty("clusterSecondsPerEpoch").ValueKind);
            double opened = p.GetProperty("openedBytesPerPartyPerEpoch").GetDouble(), dealer = p.GetProperty("dealerBytesPerEpoch").GetDouble();
            Assert.True(opened > 0 && dealer > 0);
            Assert.Equal(opened + dealer, p.GetProperty("bytesPerPartyPerEpoch").GetDouble(), 6);
        }
        double parties = root.GetProperty("partiesExponent").GetDouble(), rows = root.GetProperty("rowsExponent").GetDouble();
        Assert.True(double.IsFinite(parties) && double.IsFinite(rows), $"{parties}, {rows}");
        Assert.Equal("simulatorSecondsPerEpoch", root.GetProperty("exponentsOf").GetString());
        JsonElement bytes = root.GetProperty("fits").EnumerateArray().Single(f => f.GetProperty("quantity").GetString() == "bytesPerPartyPerEpoch");
        Assert.InRange(bytes.GetProperty("partiesExponent").GetDouble(), -0.05, 0.05);
        Assert.InRange(bytes.GetProperty("rowsExponent").GetDouble(), 0.8, 1.1);
    }

    [Fact]
    public void SyntheticRowsFollowTheDataAndAreTheSameForEveryPoint()
    {
        var workload = new ScalingWorkload(LogisticBench.LoadDemoData());
        Grains.Data.PartyDataset[] small = workload.Split(1000, 2), large = workload.Split(2000, 5);
        Assert.Equal(1000 - ScalingWorkload.DataRows, workload.SyntheticRows(1000));
        Assert.Equal(1000, small.Sum(p => p.Rows));
        Assert.Equal(2000, large.Sum(p => p.Rows));
        double[] smallRows = small.SelectMany(p => p.Features).ToArray(), largeRows = large.SelectMany(p => p.Features).ToArray();
        // A larger point's rows start with a smaller one's: the data's rows, then the same synthetic rows.
        Assert.Equal(smallRows, largeRows[..smallRows.Length]);
        Assert.Equal(small.SelectMany(p => p.Labels), large.SelectMany(p => p.Labels).Take(1000));
        double[] labels = large.SelectMany(p => p.Labels).Skip(ScalingWorkload.DataRows).ToArray();
        Assert.All(labels, l => Assert.True(l is 0 or 1));
        Assert.InRange(labels.Average(), 0.3, 0.7);
        // Each synthetic feature has about the data's mean (the first feature: mean radius, 14.1 over the data's rows).
        int d = large[0].Columns;
        double[] first = Enumerable.Range(ScalingWorkload.DataRows, 2000 - ScalingWorkload.DataRows).Select(r => largeRows[r * d]).ToArray();
        double[] data = Enumerable.Range(0, ScalingWorkload.DataRows).Select(r => largeRows[r * d]).ToArray();
        Assert.InRange(first.Average(), data.Average() - 0.5, data.Average() + 0.5);
    }

    [Fact]
    public void FitRecoversTheExponentsOfAPowerLaw()
    {
        var points = new[] { 2, 3, 5, 8 }.SelectMany(p => new[] { 569, 10_000, 100_000 }.Select(n => (p, n, 0.01 * Math.Pow(p, 1.3) * Math.Pow(n, 0.9)))).ToArray();
        ScalingFit fit = ScalingFit.Of("y", points);
        Assert.Equal(1.3, fit.PartiesExponent!.Value, 9);
        Assert.Equal(0.9, fit.RowsExponent!.Value, 9);
        ScalingFit rowsOnly = ScalingFit.Of("y", points.Where(p => p.p == 3).ToArray());
        Assert.Null(rowsOnly.PartiesExponent);
        Assert.Equal(0.9, rowsOnly.RowsExponent!.Value, 9);
        Assert.Equal(new ScalingFit("y", null, null), ScalingFit.Of("y", points.Take(1).ToArray()));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
