using System.Text.Json;
using SecureCompute.Client.Demo;
using SecureCompute.Grains.Policy;

namespace SecureCompute.Client.Tests;

/// <summary>One default <c>demo</c> run (one epoch), shared by the tests that read what it wrote.</summary>
public sealed class DefaultDemoRun : IDisposable
{
    /// <summary>Runs the demo into a fresh folder.</summary>
    public DefaultDemoRun()
    {
        Exit = CliApp.Build().Parse(new[] { "demo", "--epochs", "1", "--out", Out }).Invoke();
        Parties = DemoCommand.FindDefaultData().GetFiles("*.csv").Select(f => Path.GetFileNameWithoutExtension(f.Name)).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The folder the run wrote to.</summary>
    public string Out { get; } = Path.Combine(Directory.CreateTempSubdirectory("securecompute-demo-governance-").FullName, "out");

    /// <summary>The demo's exit code.</summary>
    public int Exit { get; }

    /// <summary>The shipped data's parties (one per CSV file).</summary>
    public string[] Parties { get; }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Out)!, recursive: true);
}

/// <summary>What the demo shows of governance: each party's policy, each recipient party's model, each party's audit trail.</summary>
public sealed class DemoGovernanceTests(DefaultDemoRun run) : IClassFixture<DefaultDemoRun>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-demo-recipients-").FullName;

    [Fact]
    public void DefaultDemoWritesPoliciesModelsAndVerifiableTrails()
    {
        Assert.Equal(0, run.Exit);
        Assert.Equal(3, run.Parties.Length);
        Assert.True(File.Exists(Path.Combine(run.Out, "model.json")));
        string session = Session(run.Out);
        foreach (string party in run.Parties)
        {
            PartyPolicy policy = PartyPolicyLoader.Load(Path.Combine(run.Out, "policies", $"{party}.json"), party);
            Assert.Equal(party, policy.Party);
            using (JsonDocument model = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Out, "parties", party, "model.json"))))
            {
                Assert.Equal(30, model.RootElement.GetProperty("weights").GetArrayLength());
            }

            string trail = Path.Combine(run.Out, "audit", $"{party}.jsonl");
            (int exit, string output, string error) = CliRun.Run("audit", "verify", trail);
            Assert.True(exit == 0, error);
            Assert.StartsWith("ok: ", output);
            Assert.Contains($"party {party}", output);

            // The entries (every line but the header and the head): admitted, rows read, each kind of release, for this session.
            string[] lines = File.ReadAllLines(trail);
            var entries = lines[1..^1].Select(l => JsonDocument.Parse(l).RootElement).ToArray();
            Assert.All(entries, e => Assert.Equal(party, e.GetProperty("party").GetString()));
            JsonElement[] mine = entries.Where(e => e.GetProperty("session").GetString() == session).ToArray();
            Assert.Contains(mine, e => Kind(e) == "SessionAdmitted");
            Assert.Contains(mine, e => Kind(e) == "RowsRead");
            foreach (string release in new[] { "Statistics", "Loss", "Model" })
            {
                Assert.Contains(mine, e => Kind(e) == "Release" && e.GetProperty("fields").GetProperty("kind").GetString() == release);
            }

            // A copy with one field value changed fails at that line (1-based), and only there.
            int index = Array.FindIndex(lines, l => l.Contains("\"kind\":\"RowsRead\"", StringComparison.Ordinal) && l.Contains("\"rows\":\"", StringComparison.Ordinal));
            Assert.True(index > 0, $"{party}: no RowsRead entry with a row count");
            string tampered = Path.Combine(folder, $"{party}-tampered.jsonl");
            string[] copy = (string[])lines.Clone();
            copy[index] = System.Text.RegularExpressions.Regex.Replace(copy[index], "\"rows\":\"(\\d+)\"", m => $"\"rows\":\"{int.Parse(m.Groups[1].Value) + 1}\"");
            Assert.NotEqual(lines[index], copy[index]);
            File.WriteAllLines(tampered, copy);
            (exit, _, error) = CliRun.Run("audit", "verify", tampered);
            Assert.Equal(1, exit);
            Assert.StartsWith($"error: line {index + 1}: ", error);
        }
    }

    [Fact]
    public void NoDataValueInTheTrailsOrTheReport()
    {
        Assert.Equal(0, run.Exit);
        DataValueScan scan = DataValueScan.Of(DemoCommand.FindDefaultData().GetFiles("*.csv").Select(f => f.FullName));
        Assert.True(scan.Count > 1000, $"only {scan.Count} distinctive cells");
        string[] lines = run.Parties.SelectMany(p => File.ReadAllLines(Path.Combine(run.Out, "audit", $"{p}.jsonl")))
            .Concat(File.ReadAllLines(Path.Combine(run.Out, "report.json"))).ToArray();
        Assert.True(lines.Length > 20, $"only {lines.Length} lines to scan");
        string? leak = scan.FirstLeak(lines);
        Assert.True(leak is null, $"a line holds a data value: {leak}");

        // Positive control: the same scan finds a cell injected into an audit entry's field value.
        string cell = scan.Cells.ElementAt(Random.Shared.Next(scan.Count));
        string entry = lines.First(l => l.Contains("\"kind\":\"RowsRead\"", StringComparison.Ordinal));
        string injected = System.Text.RegularExpressions.Regex.Replace(entry, "\"rows\":\"\\d+\"", $"\"rows\":\"{cell}\"");
        Assert.NotEqual(entry, injected);
        Assert.Equal(injected, scan.FirstLeak(lines.Append(injected)));
    }

    [Fact]
    public void APartyRecipientAloneGetsTheModelAndTheReportHoldsNoWeight()
    {
        string output = Path.Combine(folder, "out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "model.json"), "{\"stale\": true}\n");
        int exit = CliApp.Build().Parse(new[] { "demo", "--epochs", "1", "--recipients", "hospital-1", "--out", output }).Invoke();
        Assert.Equal(0, exit);
        Assert.False(File.Exists(Path.Combine(output, "model.json")), "model.json is there though the demo's client is no recipient");
        Assert.False(Directory.Exists(Path.Combine(output, "parties", "hospital-2")));
        Assert.False(Directory.Exists(Path.Combine(output, "parties", "hospital-3")));
        double[] weights;
        using (JsonDocument model = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "parties", "hospital-1", "model.json"))))
        {
            weights = model.RootElement.GetProperty("weights").EnumerateArray().Select(w => w.GetDouble())
                .Append(model.RootElement.GetProperty("bias").GetDouble()).ToArray();
        }
        Assert.Equal(31, weights.Length);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(new[] { "hospital-1" }, report.RootElement.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()));
        var names = new List<string>();
        var numbers = new List<double>();
        Walk(report.RootElement, names, numbers);
        Assert.DoesNotContain(names, n => n.Equals("weights", StringComparison.OrdinalIgnoreCase) || n.Equals("bias", StringComparison.OrdinalIgnoreCase));
        Assert.True(numbers.Count > 5, $"only {numbers.Count} numbers in report.json");
        Assert.DoesNotContain(numbers, weights.Contains);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a:valid:id")]
    public void BadRecipientsEndWithOneLineAndNoOutputs(string recipients)
    {
        string output = Path.Combine(folder, "out");
        (int exit, _, string error) = CliRun.Run("demo", "--epochs", "1", "--recipients", recipients, "--out", output);
        Assert.Equal(2, exit);
        string message = error.Trim();
        Assert.Single(message.Split('\n'));
        Assert.StartsWith("error: --recipients", message);
        Assert.False(Directory.Exists(output));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Kind(JsonElement entry) => entry.GetProperty("kind").GetString()!;

    private static string Session(string output)
    {
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        return report.RootElement.GetProperty("session").GetString()!;
    }

    /// <summary>Every property name and every number in <paramref name="element"/>, at any depth.</summary>
    private static void Walk(JsonElement element, List<string> names, List<double> numbers)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    names.Add(property.Name);
                    Walk(property.Value, names, numbers);
                }
                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Walk(item, names, numbers);
                }
                break;
            case JsonValueKind.Number:
                numbers.Add(element.GetDouble());
                break;
        }
    }
}
