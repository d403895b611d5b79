using System.Text.Json;
using SecureCompute.Client;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;
using SecureCompute.Grains.Training;
using SecureCompute.Mpc.Engine;
using SecureCompute.Silo.Hosting;
using StackExchange.Redis;

namespace SecureCompute.Silo.Tests;

/// <summary>Training across real silo processes on Redis clustering, against the in-process simulator.</summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class ProcessClusterTests(ProcessClusterFixture fixture) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-train-").FullName;

    /// <summary>
    /// `train` against 3 party silo processes and a dealer silo process gives the model the in-process run with the
    /// same seed gives, bit for bit (reproducible seeds: same seeds, same program, same opens).
    /// </summary>
    [Fact]
    public async Task TrainAcrossProcessesMatchesTheInProcessRun()
    {
        string spec = Path.Combine(folder, "session.json");
        File.WriteAllText(spec, """
            { "parties": ["hospital-1", "hospital-2", "hospital-3"], "label": "benign", "epochs": 2, "reproducibleSeed": 5 }
            """);
        string output = Path.Combine(folder, "out");
        int exit = await CliApp.Build().Parse(new[] { "train", "--redis", fixture.Redis.ConnectionString, "--cluster-id", fixture.ClusterId, "--as", "hospital-1:tester",
            "--spec", spec, "--out", output }).InvokeAsync();
        Assert.Equal(0, exit);

        double[] weights = InProcessReference.ModelWeights(output);
        Learning.Programs.ProgramResult local = InProcessReference.Program(new SessionSpec("x", ProcessClusterFixture.Hospitals, "benign", Epochs: 2), 5);
        Assert.Equal(local.Weights, weights);
        Assert.True(File.Exists(Path.Combine(output, "loss.png")));
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(local.Rounds, report.RootElement.GetProperty("rounds").GetInt64());
    }

    /// <summary>Four sessions at once on one cluster, each with its own spec and seeds, all give their own correct models.</summary>
    [Fact]
    public async Task FourConcurrentSessionsEachGetTheirOwnModel()
    {
        SessionSpec[] specs = Enumerable.Range(0, 4).Select(i => new SessionSpec($"concurrent-{i}-{Guid.NewGuid():N}"[..24], ProcessClusterFixture.Hospitals,
            "benign", Epochs: 1 + i % 2, Seed: 10 + i, LearningRate: 0.5 + 0.25 * i, ReproducibleSeed: 100 + i)).ToArray();
        SessionReport[] reports = await Task.WhenAll(specs.Select(s => SessionClient.RunAsync(fixture.Grains, s, client: fixture.Operator)));
        for (int i = 0; i < specs.Length; i++)
        {
            Learning.Programs.ProgramResult local = InProcessReference.Program(specs[i], specs[i].ReproducibleSeed!.Value);
            Assert.Equal(local.Weights, reports[i].Weights);
        }
        Assert.Equal(4, reports.Select(r => string.Join(",", r.Weights)).Distinct().Count());
    }

    /// <summary>A session naming a party that has no silo: `train` exits non-zero with one error naming the party.</summary>
    [Fact]
    public async Task TrainWithAMissingPartyFailsNamingIt()
    {
        string spec = Path.Combine(folder, "session.json");
        File.WriteAllText(spec, """{ "parties": ["hospital-1", "hospital-9"], "label": "benign", "epochs": 1 }""");
        var error = new StringWriter();
        TextWriter original = Console.Error;
        Console.SetError(error);
        int exit;
        try
        {
            exit = await CliApp.Build().Parse(new[] { "train", "--redis", fixture.Redis.ConnectionString, "--cluster-id", fixture.ClusterId, "--as", "hospital-1:tester",
                "--spec", spec, "--out", Path.Combine(folder, "out") }).InvokeAsync();
        }
        finally
        {
            Console.SetError(original);
        }
        Assert.Equal(1, exit);
        Assert.Contains("party 'hospital-9'", error.ToString());
        Assert.False(Directory.Exists(Path.Combine(folder, "out")));
    }

    /// <summary>
    /// After the sessions, no key or value in Redis holds a data value (a cell of the hospitals' files as written, or
    /// its fixed-point word) — with in-memory grain storage Redis holds the membership table only; the persistent case
    /// (sealed checkpoints) is checked after a resume in PartyResumeTests.
    /// </summary>
    [Fact]
    public async Task RedisHoldsNoDataValue()
    {
        await SessionClient.RunAsync(fixture.Grains, new SessionSpec($"redis-scan-{Guid.NewGuid():N}"[..22], ProcessClusterFixture.Hospitals, "benign", Epochs: 1));
        await RedisScan.AssertNoDataAndNoShareAsync(fixture.Redis.ConnectionString, ProcessClusterFixture.Hospitals, Array.Empty<long[]>());
    }

    /// <summary>A silo with bad settings lists every problem and exits 2 before joining any cluster.</summary>
    [Fact]
    public async Task SiloWithBadSettingsListsEveryProblemAndExits()
    {
        using ChildProcess silo = ChildProcess.StartDotnet(RepositoryPaths.SiloProgram(),
            new[] { "--party", "bad party", "--data", "missing.csv", "--silo-port", "70000", "--clustering", "redis", "--storage", "redis" });
        int exit = await silo.WaitExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, exit);
        string output = silo.Output;
        foreach (string expected in new[] { "--party", "--data", "--silo-port", "--redis", "--key-file" })
        {
            Assert.Contains(expected, output);
        }
        Assert.DoesNotContain(SiloHost.ReadyLine, output);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
