using System.Text.Json;

namespace SecureCompute.Client.Tests;

/// <summary><c>privacy epsilon</c> and <c>privacy noise</c> as a user runs them: figures, JSON fields and refusals.</summary>
public sealed class PrivacyCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("privacy-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static JsonElement Read(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    [Fact]
    public void Epsilon_writes_opacus_figure_and_best_order()
    {
        string json = Path.Combine(folder, "eps.json");
        var (exit, output, error) = CliRun.Run("privacy", "epsilon", "--noise-multiplier", "1.5", "--sample-rate", "0.04",
            "--steps", "2250", "--delta", "1e-5", "--json", json);
        Assert.True(exit == 0, error);
        Assert.Contains("ε = 7.3291", output);
        var root = Read(json);
        Assert.Equal(7.32911117143, root.GetProperty("epsilon").GetDouble(), 1e-7);
        Assert.Equal(3.9, root.GetProperty("alpha").GetDouble(), 1e-12);
        Assert.Equal("rdp", root.GetProperty("accountant").GetString());
        Assert.Equal(2250, root.GetProperty("steps").GetInt64());
    }

    [Fact]
    public void Epsilon_with_prv_and_epochs_counts_steps_as_opacus_does()
    {
        string json = Path.Combine(folder, "prv.json");
        var (exit, _, error) = CliRun.Run("privacy", "epsilon", "--noise-multiplier", "1.5", "--sample-rate", "0.04",
            "--epochs", "90", "--delta", "1e-5", "--accountant", "prv", "--json", json);
        Assert.True(exit == 0, error);
        var root = Read(json);
        Assert.Equal(2250, root.GetProperty("steps").GetInt64());
        Assert.Equal(6.777395712150674, root.GetProperty("epsilon").GetDouble(), 0.01);
        Assert.True(root.GetProperty("epsilonEstimate").GetDouble() < root.GetProperty("epsilon").GetDouble());
    }

    [Fact]
    public void Noise_returns_a_sigma_that_meets_the_target()
    {
        string json = Path.Combine(folder, "noise.json");
        var (exit, output, error) = CliRun.Run("privacy", "noise", "--epsilon", "8", "--delta", "1e-5", "--sample-rate", "0.04",
            "--epochs", "90", "--json", json);
        Assert.True(exit == 0, error);
        var root = Read(json);
        double sigma = root.GetProperty("sigma").GetDouble(), achieved = root.GetProperty("epsilon").GetDouble();
        Assert.Equal(1.416, sigma, 5e-5); // Opacus' get_noise_multiplier vector
        Assert.InRange(achieved, 8 - 0.01, 8);
        Assert.Equal(8, root.GetProperty("targetEpsilon").GetDouble());
        Assert.Contains("σ = 1.416", output);

        // The σ it returns, fed back to `privacy epsilon`, gives the ε it reported.
        string back = Path.Combine(folder, "back.json");
        Assert.Equal(0, CliRun.Run("privacy", "epsilon", "--noise-multiplier", sigma.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            "--sample-rate", "0.04", "--steps", "2250", "--delta", "1e-5", "--json", back).Exit);
        Assert.Equal(achieved, Read(back).GetProperty("epsilon").GetDouble(), 1e-12);
    }

    [Theory]
    [InlineData("--noise-multiplier", "0", "--noise-multiplier must be")]
    [InlineData("--sample-rate", "1.5", "--sample-rate must be")]
    [InlineData("--delta", "1", "--delta must be")]
    [InlineData("--steps", "0", "at least 1")]
    public void Epsilon_refuses_bad_input_naming_it(string option, string value, string message)
    {
        var args = new Dictionary<string, string>
        {
            ["--noise-multiplier"] = "1", ["--sample-rate"] = "0.1", ["--steps"] = "100", ["--delta"] = "1e-5",
        };
        args[option] = value;
        string json = Path.Combine(folder, "bad.json");
        var (exit, _, error) = CliRun.Run(["privacy", "epsilon", .. args.SelectMany(kv => new[] { kv.Key, kv.Value }), "--json", json]);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.False(File.Exists(json), "a refused command must not write its JSON");
    }

    [Fact]
    public void Steps_and_epochs_are_exclusive_and_accountant_names_are_checked()
    {
        var (exit, _, error) = CliRun.Run("privacy", "epsilon", "--noise-multiplier", "1", "--sample-rate", "0.1", "--steps", "10",
            "--epochs", "1", "--delta", "1e-5");
        Assert.Equal(2, exit);
        Assert.Contains("exactly one of --steps and --epochs", error);

        var (exit2, output2, error2) = CliRun.Run("privacy", "epsilon", "--noise-multiplier", "1", "--sample-rate", "0.1", "--steps", "10",
            "--delta", "1e-5", "--accountant", "gdp");
        Assert.NotEqual(0, exit2);
        Assert.Contains("--accountant must be rdp or prv", output2 + error2);
    }

    [Fact]
    public void Noise_refuses_a_budget_no_sigma_meets()
    {
        var (exit, _, error) = CliRun.Run("privacy", "noise", "--epsilon", "1e-7", "--delta", "1e-5", "--sample-rate", "1",
            "--steps", "1000000", "--tolerance", "1e-8");
        Assert.Equal(2, exit);
        Assert.Contains("too small", error);
    }
}
