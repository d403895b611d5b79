using System.Text.Json;

namespace SecureCompute.Client.Tests;

/// <summary><c>frontier</c> as a user runs it: the JSON fields others read, the twin's agreement, the chart, and refusals.</summary>
public sealed class FrontierCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("frontier-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Data(string name) => Path.Combine(Path.GetDirectoryName(Demo.DemoCommand.FindDefaultData().FullName)!, name);

    /// <summary>
    /// Breast cancer, ε ∈ {1, 8}, 2 seeds, 3 epochs: every row carries the fields others check; the secure DP model and
    /// its float64 twin (same parties' noise) agree within 0.5 pp per seed (the issue's bound; fixed-point error
    /// rarely flips a held-out prediction); σ falls as ε grows; the chart is a PNG.
    /// </summary>
    [Fact]
    public void Breast_cancer_frontier_writes_rows_and_chart()
    {
        string json = Path.Combine(folder, "frontier.json"), png = Path.Combine(folder, "frontier.png");
        var (exit, output, error) = CliRun.Run("frontier", "--engine", "simulator", "--data", Data("breast-cancer"), "--epsilons", "8,1", "--seeds", "2",
            "--epochs", "3", "--json", json, "--plot", png);
        Assert.True(exit == 0, error + output);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var rows = root.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Equal(new[] { 1.0, 8.0 }, rows.Select(r => r.GetProperty("epsilon").GetDouble()));
        foreach (var row in rows)
        {
            Assert.Equal("dpsgd", row.GetProperty("mechanism").GetString());
            double secure = row.GetProperty("secure").GetProperty("mean").GetDouble(), plain = row.GetProperty("plaintext").GetProperty("mean").GetDouble();
            Assert.InRange(secure, 0, 1);
            Assert.True(row.GetProperty("secure").GetProperty("std").GetDouble() >= 0);
            Assert.True(row.GetProperty("plaintext").GetProperty("std").GetDouble() >= 0);
            Assert.True(row.GetProperty("maxTwinGap").GetDouble() <= 0.005, $"secure vs twin differ by {row.GetProperty("maxTwinGap").GetDouble()} on one seed");
            Assert.True(Math.Abs(secure - plain) <= 0.005);
            Assert.InRange(row.GetProperty("nonPrivate").GetProperty("mean").GetDouble(), 0.9, 1);
        }
        Assert.True(rows[0].GetProperty("sigma").GetDouble() > rows[1].GetProperty("sigma").GetDouble(), "a smaller ε needs more noise");
        // σ exceeds the accounted σ by the sensitivity allowance only.
        double ratio = rows[0].GetProperty("sigma").GetDouble() / rows[0].GetProperty("accountedSigma").GetDouble();
        Assert.InRange(ratio, 1.0, 1.1);
        byte[] head = File.ReadAllBytes(png)[..8];
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, head);
    }

    [Fact]
    public void A_frontier_without_public_bounds_is_refused()
    {
        string data = Path.Combine(folder, "tables", "mine");
        Directory.CreateDirectory(data);
        foreach (string file in Directory.GetFiles(Data("breast-cancer"), "*.csv"))
        {
            File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        }
        string json = Path.Combine(folder, "never.json");
        var (exit, _, error) = CliRun.Run("frontier", "--data", data, "--epsilons", "1", "--seeds", "1", "--json", json);
        Assert.Equal(2, exit);
        Assert.Contains("no public bounds", error);
        Assert.False(File.Exists(json));

        // Bounds that miss a feature, or are not a range, name the file and the problem.
        string bounds = Path.Combine(folder, "bounds.csv");
        File.WriteAllText(bounds, "feature,lower,upper\nmean_radius,0,30\n");
        (exit, _, error) = CliRun.Run("frontier", "--data", data, "--bounds", bounds, "--epsilons", "1", "--seeds", "1", "--json", json);
        Assert.Equal(2, exit);
        Assert.Contains("declares no bounds for 29 feature(s)", error);
        File.WriteAllText(bounds, "feature,lower,upper\nmean_radius,5,1\n");
        (exit, _, error) = CliRun.Run("frontier", "--data", data, "--bounds", bounds, "--epsilons", "1", "--seeds", "1", "--json", json);
        Assert.Equal(2, exit);
        Assert.Contains("lower < upper", error);
        Assert.False(File.Exists(json));
    }

    [Theory]
    [InlineData("--epsilons", "1,zero", "'zero' is not one")]
    [InlineData("--epsilons", "-1", "'-1' is not one")]
    [InlineData("--seeds", "0", "--seeds must be")]
    [InlineData("--delta", "2", "--delta must be")]
    [InlineData("--mechanism", "dpsgd,laplace", "'laplace' is neither")]
    [InlineData("--l2", "0", "--l2 must be")]
    [InlineData("--statistics-share", "1", "--statistics-share must be in (0, 1)")]
    [InlineData("--tolerate", "3", "--tolerate must be between 0 and 2")]
    public void Bad_options_are_named(string option, string value, string message)
    {
        var (exit, _, error) = CliRun.Run("frontier", "--engine", "simulator", "--data", Data("breast-cancer"), option, value, "--json", Path.Combine(folder, "x.json"));
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
    }

    /// <summary>
    /// Both mechanisms in one frontier (ε = 2, 2 seeds, 3 epochs): one row per (ε, mechanism); the output
    /// perturbation row carries its sensitivity, λ and the learning rate it ran at (capped by the contraction
    /// argument); its secure model and twin agree within 0.5 pp; σ for one Gaussian release is below DP-SGD's, which
    /// composes one per epoch. Output perturbation on a model it was not derived for is refused.
    /// </summary>
    [Fact]
    public void Output_perturbation_rows_sit_beside_dpsgd()
    {
        string json = Path.Combine(folder, "both.json");
        var (exit, output, error) = CliRun.Run("frontier", "--engine", "simulator", "--data", Data("breast-cancer"), "--epsilons", "2", "--seeds", "2",
            "--epochs", "3", "--mechanism", "dpsgd,output", "--json", json);
        Assert.True(exit == 0, error + output);
        var rows = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(new[] { "dpsgd", "output" }, rows.Select(r => r.GetProperty("mechanism").GetString()));
        var dpsgd = rows[0];
        var op = rows[1];
        Assert.True(op.GetProperty("sensitivity").GetDouble() > 0);
        Assert.Equal(0.05, op.GetProperty("regularisation").GetDouble());
        Assert.InRange(op.GetProperty("learningRate").GetDouble(), 0.1, 4.0);
        Assert.True(op.GetProperty("maxTwinGap").GetDouble() <= 0.005);
        Assert.True(op.GetProperty("sigma").GetDouble() < dpsgd.GetProperty("sigma").GetDouble());
        Assert.InRange(op.GetProperty("secure").GetProperty("mean").GetDouble(), 0, 1);

        (exit, _, error) = CliRun.Run("frontier", "--data", Data("digits"), "--model", "softmax", "--mechanism", "output", "--epsilons", "1",
            "--seeds", "1", "--json", Path.Combine(folder, "never.json"));
        Assert.Equal(2, exit);
        Assert.Contains("built for logistic regression", error);
        Assert.False(File.Exists(Path.Combine(folder, "never.json")));
    }

    /// <summary>
    /// Private statistics (ε = 4, 2 seeds, 3 epochs, t = 1): the report says so and gives the share and the tolerated
    /// coalition; the row carries σ_s; the budget the statistics take raises σ above the bounds-only row of the same
    /// ε; secure and twin agree within 0.5 pp.
    /// </summary>
    [Fact]
    public void Private_statistics_take_a_share_of_the_budget()
    {
        string json = Path.Combine(folder, "private.json"), plain = Path.Combine(folder, "bounds.json");
        var (exit, output, error) = CliRun.Run("frontier", "--engine", "simulator", "--data", Data("breast-cancer"), "--epsilons", "4", "--seeds", "2",
            "--epochs", "3", "--statistics", "private", "--tolerate", "1", "--json", json);
        Assert.True(exit == 0, error + output);
        (exit, output, error) = CliRun.Run("frontier", "--engine", "simulator", "--data", Data("breast-cancer"), "--epsilons", "4", "--seeds", "1", "--epochs", "3", "--json", plain);
        Assert.True(exit == 0, error + output);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal("private", root.GetProperty("statistics").GetString());
        Assert.Equal(0.3, root.GetProperty("statisticsShare").GetDouble());
        Assert.Equal(1, root.GetProperty("toleratedCoalition").GetInt32());
        var row = root.GetProperty("rows")[0];
        Assert.True(row.GetProperty("statisticsSigma").GetDouble() > 0);
        Assert.True(row.GetProperty("maxTwinGap").GetDouble() <= 0.005);
        var boundsRoot = JsonDocument.Parse(File.ReadAllText(plain)).RootElement;
        Assert.Equal("bounds", boundsRoot.GetProperty("statistics").GetString());
        Assert.Equal(JsonValueKind.Null, boundsRoot.GetProperty("rows")[0].GetProperty("statisticsSigma").ValueKind);
        Assert.True(row.GetProperty("sigma").GetDouble() > boundsRoot.GetProperty("rows")[0].GetProperty("sigma").GetDouble());
    }

    /// <summary>
    /// On the embedded cluster (the default engine; ε = 4, 2 seeds, 3 epochs, both mechanisms): every (ε, seed) is a
    /// session in which each party calibrates σ itself — DP-SGD's σ equals the simulator's RDP calibration, output
    /// perturbation's is PRV's, below RDP's — and draws its own noise, so there is no same-noise twin (maxTwinGap
    /// null) and the accounting names each accountant; the secure figures are held-out accuracies.
    /// </summary>
    [Fact]
    public void The_cluster_runs_each_point_as_a_session()
    {
        string json = Path.Combine(folder, "cluster.json"), simulator = Path.Combine(folder, "simulator.json");
        var (exit, output, error) = CliRun.Run("frontier", "--data", Data("breast-cancer"), "--epsilons", "4", "--seeds", "2", "--epochs", "3",
            "--mechanism", "dpsgd,output", "--json", json);
        Assert.True(exit == 0, error + output);
        (exit, output, error) = CliRun.Run("frontier", "--engine", "simulator", "--data", Data("breast-cancer"), "--epsilons", "4", "--seeds", "1", "--epochs", "3",
            "--mechanism", "dpsgd,output", "--json", simulator);
        Assert.True(exit == 0, error + output);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal("cluster", root.GetProperty("engine").GetString());
        Assert.Equal("rdp (dpsgd), prv (output)", root.GetProperty("accountant").GetString());
        var rows = root.GetProperty("rows").EnumerateArray().ToArray();
        var simulated = JsonDocument.Parse(File.ReadAllText(simulator)).RootElement.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(new[] { "dpsgd", "output" }, rows.Select(r => r.GetProperty("mechanism").GetString()));
        Assert.All(rows, r =>
        {
            Assert.Equal(JsonValueKind.Null, r.GetProperty("maxTwinGap").ValueKind);
            Assert.InRange(r.GetProperty("secure").GetProperty("mean").GetDouble(), 0, 1);
            Assert.InRange(r.GetProperty("plaintext").GetProperty("mean").GetDouble(), 0, 1);
        });
        Assert.Equal(simulated[0].GetProperty("sigma").GetDouble(), rows[0].GetProperty("sigma").GetDouble(), 9);
        Assert.True(rows[1].GetProperty("sigma").GetDouble() < simulated[1].GetProperty("sigma").GetDouble(), "PRV's σ for one Gaussian is below RDP's");
        Assert.InRange(root.GetProperty("nonPrivate").GetProperty("secure").GetProperty("mean").GetDouble(), 0.9, 1);

        (exit, _, error) = CliRun.Run("frontier", "--data", Data("breast-cancer"), "--accountant", "prv", "--json", Path.Combine(folder, "never.json"));
        Assert.Equal(2, exit);
        Assert.Contains("on the cluster every party calibrates DP-SGD's σ by RDP", error);
    }
}
