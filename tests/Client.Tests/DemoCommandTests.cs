using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SecureCompute.Mpc.Diagnostics;

namespace SecureCompute.Client.Tests;

/// <summary>The demo as a user runs it: in-process, on the shipped data and on bad input.</summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-demo-").FullName;

    [Fact]
    public void DefaultDemoWritesReportAndModel()
    {
        var spans = new List<Activity>();
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddSource(MpcDiagnostics.SourceName)
            .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application").AddInMemoryExporter(spans).Build()!;
        string output = Path.Combine(folder, "out");
        int exit = CliApp.Build().Parse(new[] { "demo", "--epochs", "3", "--out", output }).Invoke();
        Assert.Equal(0, exit);
        tracing.ForceFlush();
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        JsonElement root = report.RootElement;
        double secure = root.GetProperty("secure").GetProperty("accuracy").GetDouble();
        double plain = root.GetProperty("plaintext").GetProperty("accuracy").GetDouble();
        Assert.InRange(secure, 0.9, 1.0);
        Assert.True(Math.Abs(secure - plain) <= 0.005, $"{secure} vs {plain}");
        Assert.True(root.GetProperty("maxAbsWeightDiff").GetDouble() <= 0.01);
        Assert.Equal(3, root.GetProperty("parties").GetInt32());
        Assert.Equal(21, root.GetProperty("roundsPerStep").GetDouble());
        Assert.True(root.GetProperty("rounds").GetInt64() > 0);
        // One coordinator span per round: the span count equals the report's rounds.
        string session = root.GetProperty("session").GetString()!;
        long rounds = root.GetProperty("rounds").GetInt64();
        Activity[] mine = spans.Where(s => Equals(s.GetTagItem(MpcDiagnostics.SessionTag), session)).ToArray();
        Assert.Equal(rounds, mine.Count(s => s.OperationName == MpcDiagnostics.RoundSpan));
        // Each party's side of each round is a span in the session's trace: Orleans carried the context to the party silos.
        Activity sessionSpan = Assert.Single(mine, s => s.OperationName == MpcDiagnostics.SessionSpan);
        Activity[] partyRounds = mine.Where(s => s.OperationName == MpcDiagnostics.PartyRoundSpan).ToArray();
        Assert.Equal(3 * rounds, partyRounds.Length);
        Assert.All(partyRounds, s => Assert.Equal(sessionSpan.TraceId, s.TraceId));
        Assert.All(mine.Where(s => s.OperationName == MpcDiagnostics.RoundSpan), s => Assert.Equal(sessionSpan.SpanId, s.ParentSpanId));
        // Only public tags, on every span of the session.
        string[] publicTags = { MpcDiagnostics.SessionTag, MpcDiagnostics.RoundIndexTag, MpcDiagnostics.OperationTag, MpcDiagnostics.ElementsTag,
            MpcDiagnostics.BytesTag, MpcDiagnostics.PartiesTag, MpcDiagnostics.PartyTag };
        Assert.All(mine.SelectMany(s => s.TagObjects), tag => Assert.Contains(tag.Key, publicTags));
        Assert.True(root.GetProperty("bytesOpened").GetInt64() > 0);
        Assert.True(root.GetProperty("secondsPerEpoch").GetDouble() > 0);
        using JsonDocument model = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "model.json")));
        Assert.Equal(30, model.RootElement.GetProperty("weights").GetArrayLength());
        Assert.Equal(30, model.RootElement.GetProperty("features").GetArrayLength());
        Assert.Empty(Directory.GetFiles(output, "*.tmp"));
        byte[] png = File.ReadAllBytes(Path.Combine(output, "loss.png"));
        Assert.Equal(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(720, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        // Logistic regression holds out each party's seeded 20% of rows, as every model does: the accuracy chart is the
        // baseline's accuracy per epoch on the training and on the held-out rows.
        Assert.Equal((Client.Charts.EpochChart.Width, Client.Charts.EpochChart.Height), Charts.PngFile.Size(File.ReadAllBytes(Path.Combine(output, "accuracy.png"))));
        double[] perEpoch = EpochValues(root.GetProperty("plaintext"), "epochAccuracy");
        Assert.Equal(3, perEpoch.Length);
        Assert.All(perEpoch, a => Assert.InRange(a, 0, 1));
        Assert.Equal(plain, perEpoch[^1]);
        double[] heldOutPerEpoch = EpochValues(root.GetProperty("plaintext"), "epochHeldOutAccuracy");
        Assert.Equal(3, heldOutPerEpoch.Length);
        Assert.All(heldOutPerEpoch, a => Assert.InRange(a, 0, 1));
        Assert.Equal(root.GetProperty("plaintext").GetProperty("heldOutAccuracy").GetDouble(), heldOutPerEpoch[^1]);
        Assert.InRange(root.GetProperty("secure").GetProperty("heldOutAccuracy").GetDouble(), 0.9, 1.0);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("secure").GetProperty("epochAccuracy").ValueKind);
    }

    /// <summary>
    /// Softmax regression on the shipped digits (simulator, 2 epochs): report.json carries the held-out accuracy of the
    /// secure model (evaluated on shares) beside the plaintext baseline's — within 1 percentage point (the issue's
    /// target, here on 360 held-out rows: ≤ 3 rows) — and the baseline's accuracy after each epoch, which accuracy.png
    /// draws; model.json every parameter by name and shape.
    /// </summary>
    [Fact]
    public void SoftmaxDemoOnDigitsReportsHeldOutAccuracy()
    {
        string output = Path.Combine(folder, "softmax");
        int exit = CliApp.Build().Parse(new[] { "demo", "--data", Path.Combine(Path.GetDirectoryName(Demo.DemoCommand.FindDefaultData().FullName)!, "digits"), "--label", "digit", "--model", "softmax",
            "--engine", "simulator", "--epochs", "2", "--out", output }).Invoke();
        Assert.Equal(0, exit);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        JsonElement root = report.RootElement;
        Assert.Equal("softmax", root.GetProperty("model").GetString());
        double secure = root.GetProperty("secure").GetProperty("heldOutAccuracy").GetDouble();
        double plain = root.GetProperty("plaintext").GetProperty("heldOutAccuracy").GetDouble();
        Assert.InRange(secure, 0.9, 1.0);
        Assert.True(Math.Abs(secure - plain) <= 0.01, $"held-out accuracy {secure} vs {plain}");
        Assert.True(root.GetProperty("maxAbsWeightDiff").GetDouble() <= 0.01);
        JsonElement plaintext = root.GetProperty("plaintext");
        double[] heldOut = EpochValues(plaintext, "epochHeldOutAccuracy"), training = EpochValues(plaintext, "epochAccuracy");
        Assert.Equal(2, heldOut.Length);
        Assert.Equal(2, training.Length);
        Assert.All(heldOut.Concat(training), a => Assert.InRange(a, 0, 1));
        Assert.Equal(plain, heldOut[^1]);
        Assert.Equal(plaintext.GetProperty("accuracy").GetDouble(), training[^1]);
        byte[] chart = File.ReadAllBytes(Path.Combine(output, "accuracy.png"));
        Assert.Equal((Client.Charts.EpochChart.Width, Client.Charts.EpochChart.Height), Charts.PngFile.Size(chart));
        Assert.Empty(Directory.GetFiles(output, "*.tmp"));
        using JsonDocument model = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "model.json")));
        Assert.Equal(10, model.RootElement.GetProperty("classes").GetInt32());
        JsonElement[] parameters = model.RootElement.GetProperty("parameters").EnumerateArray().ToArray();
        Assert.Equal(new[] { "layer0.weight", "layer0.bias" }, parameters.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(64 * 10, parameters[0].GetProperty("values").GetArrayLength());
    }

    /// <summary>Linear regression has no accuracy: no accuracy.png (one left by an earlier run is removed) and no per-epoch accuracy.</summary>
    [Fact]
    public void RegressionDemoWritesNoAccuracyChart()
    {
        string output = Path.Combine(folder, "linear");
        Directory.CreateDirectory(output);
        File.WriteAllBytes(Path.Combine(output, "accuracy.png"), new byte[] { 1, 2, 3 });
        (int exit, _, string error) = CliRun.Run("demo", "--data", Path.Combine(Path.GetDirectoryName(Demo.DemoCommand.FindDefaultData().FullName)!, "diabetes"),
            "--model", "linear", "--engine", "simulator", "--epochs", "1", "--out", output);
        Assert.True(exit == 0, error);
        Assert.False(File.Exists(Path.Combine(output, "accuracy.png")));
        Assert.True(File.Exists(Path.Combine(output, "loss.png")));
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(JsonValueKind.Null, report.RootElement.GetProperty("plaintext").GetProperty("epochAccuracy").ValueKind);
        // Training and held-out mean squared error for both models; the secure one within 1% of the baseline's.
        foreach (string figure in new[] { "mse", "heldOutMse" })
        {
            double secure = report.RootElement.GetProperty("secure").GetProperty(figure).GetDouble();
            double plain = report.RootElement.GetProperty("plaintext").GetProperty(figure).GetDouble();
            Assert.True(plain > 0 && Math.Abs(secure - plain) <= 0.01 * plain, $"{figure}: {secure} vs {plain}");
        }
        // model.json: one weight per feature (diabetes: 10), then the bias.
        using JsonDocument model = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "model.json")));
        Assert.Equal(10, model.RootElement.GetProperty("weights").GetArrayLength());
        Assert.Equal(10, model.RootElement.GetProperty("features").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, model.RootElement.GetProperty("bias").ValueKind);
    }

    /// <summary>A softmax demo on labels that are not classes stops with one line naming the file and row, and writes nothing.</summary>
    [Fact]
    public void SoftmaxOnLabelsThatAreNotClassesNamesTheRow()
    {
        string data = Path.Combine(folder, "fractions");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "p1.csv"), "a,b,y\n1,2,0\n3,4,1\n");
        File.WriteAllText(Path.Combine(data, "p2.csv"), "a,b,y\n1,2,0.5\n3,4,1\n");
        string output = Path.Combine(folder, "fractions-out");
        (int exit, _, string error) = CliRun.Run("demo", "--data", data, "--model", "softmax", "--engine", "simulator", "--epochs", "1", "--out", output);
        Assert.Equal(2, exit);
        Assert.Contains("p2.csv", error);
        Assert.Contains("row 1", error);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFiles(output).Any());
    }

    [Theory]
    [InlineData("a,b,y\n1,2,0\n3,x,1\n", "a,b,y\n1,2,0\n", "p1.csv, row 3, column 'b'")]
    [InlineData("a,b,y\n1,2,0\n3,4\n", "a,b,y\n1,2,0\n", "p1.csv, row 3")]
    [InlineData("a,b,y\n1,2,0\n", "b,a,y\n1,2,0\n", "p2.csv, row 1, column 'b'")]
    [InlineData("a,b,y\n1,2,0\n", "a,b,y\n1,1e300,0\n", "p2.csv, row 2, column 'b'")]
    [InlineData("a,b,y\n1,2,0\n", "a,b,y\n1,2,Infinity\n", "p2.csv, row 2, column 'y'")]
    public void BadInputEndsWithOneLineAndNoOutputs(string first, string second, string expected)
    {
        string data = Path.Combine(folder, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "p1.csv"), first);
        File.WriteAllText(Path.Combine(data, "p2.csv"), second);
        string output = Path.Combine(folder, "out");
        var error = new StringWriter();
        TextWriter original = Console.Error;
        Console.SetError(error);
        int exit;
        try
        {
            exit = CliApp.Build().Parse(new[] { "demo", "--data", data, "--out", output }).Invoke();
        }
        finally
        {
            Console.SetError(original);
        }
        Assert.Equal(2, exit);
        string message = error.ToString().Trim();
        Assert.Single(message.Split('\n'));
        Assert.Contains(expected, message);
        Assert.False(Directory.Exists(output));
    }

    private static double[] EpochValues(JsonElement figures, string name) =>
        figures.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
