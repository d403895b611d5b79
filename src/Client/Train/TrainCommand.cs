using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureCompute.Silo.Security;
using SecureCompute.Client.Charts;
using SecureCompute.Client.Demo;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;
using Spectre.Console;

namespace SecureCompute.Client.Train;

/// <summary>
/// <c>train</c>: runs a session on a running cluster (silos on Redis clustering) and writes the report, the model and
/// the loss curve — without a plaintext baseline, since nobody holds all the data.
/// </summary>
internal static class TrainCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>How long the client tries to reach a gateway before giving up.</summary>
    public static TimeSpan ConnectTimeout => ClusterConnection.ConnectTimeout;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var redis = new Option<string>("--redis") { Description = "The cluster's Redis (a StackExchange.Redis connection string), e.g. 127.0.0.1:6379, or redis.example.org:6380,ssl=true,password=... for TLS.", Required = true };
        var specFile = new Option<FileInfo>("--spec") { Description = "The session spec (JSON; see docs/session-spec.md).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for report.json, model.json and loss.png.", DefaultValueFactory = _ => new DirectoryInfo("out/train") };
        var clusterId = new Option<string>("--cluster-id") { Description = "The cluster id the silos use.", DefaultValueFactory = _ => "securecompute" };
        var tlsCert = new Option<string>("--tls-cert") { Description = "This client's certificate (PEM) for mutual TLS with the silos." };
        var tlsKey = new Option<string>("--tls-key") { Description = "The certificate's private key (PEM)." };
        var tlsCa = new Option<string>("--tls-ca") { Description = "The consortium's CA certificate (PEM); only silos with certificates it issued are accepted." };
        var command = new Command("train", "Train jointly on a running cluster: the parties' silos hold the data; this client sees progress and the released model.")
        {
            redis, specFile, output, clusterId, tlsCert, tlsKey, tlsCa,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            SessionSpec spec;
            try
            {
                spec = SessionSpecFile.Load(result.GetValue(specFile)!);
            }
            catch (SpecFileException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            IReadOnlyList<string> problems = SessionSpecs.Validate(spec);
            foreach (string problem in problems)
            {
                Console.Error.WriteLine($"error: {result.GetValue(specFile)!.Name}: {problem}");
            }
            if (problems.Count > 0)
            {
                return 2;
            }
            ConsortiumTls? tls;
            try
            {
                tls = ClientTls.Load(result.GetValue(tlsCert), result.GetValue(tlsKey), result.GetValue(tlsCa));
            }
            catch (TlsSetupException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            try
            {
                return await RunAsync(result.GetValue(redis)!, result.GetValue(clusterId)!, spec, result.GetValue(output)!, cancellationToken, tls);
            }
            catch (SessionFailedException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            catch (ClusterUnreachableException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Connects, runs the session with a progress bar, writes the outputs; returns the exit code.</summary>
    public static async Task<int> RunAsync(string redis, string clusterId, SessionSpec spec, DirectoryInfo output, CancellationToken cancellationToken,
        ConsortiumTls? tls = null)
    {
        using IHost client = await ClusterConnection.ConnectAsync(redis, clusterId, tls, cancellationToken);
        var grains = client.Services.GetRequiredService<IGrainFactory>();
        AnsiConsole.MarkupLine($"[bold]SecureCompute train[/]: session {Markup.Escape(spec.Session)}, parties {Markup.Escape(string.Join(", ", spec.Parties))}, " +
                               $"{Markup.Escape(spec.Model)} regression on label [italic]{Markup.Escape(spec.Label)}[/]");
        SessionReport report = await SessionProgressBar.RunAsync(grains, spec, cancellationToken);
        await client.StopAsync(CancellationToken.None);
        Write(output, spec, report);
        return 0;
    }

    /// <summary>Writes report.json, model.json and loss.png through temporary names.</summary>
    private static void Write(DirectoryInfo folder, SessionSpec spec, SessionReport report)
    {
        folder.Create();
        var summary = new TrainReport(spec.Session, spec.Parties, spec.Model, report.EpochLoss, report.Steps, report.Rounds, report.RoundsPerStep,
            report.BytesOpened, report.DealerBytes, report.Seconds / spec.Epochs,
            new[] { "per-feature mean and standard deviation over all parties", "per-epoch loss", "the final weights (to all parties)", "row counts, schema, hyper-parameters" });
        var model = new ModelFile(spec.Model, report.FeatureNames, spec.Label, report.Weights[..^1], report.Weights[^1], report.Means, report.StandardDeviations);
        string reportPath = Path.Combine(folder.FullName, "report.json");
        string modelPath = Path.Combine(folder.FullName, "model.json");
        string chartPath = Path.Combine(folder.FullName, "loss.png");
        File.WriteAllText(reportPath + ".tmp", JsonSerializer.Serialize(summary, Json));
        File.WriteAllText(modelPath + ".tmp", JsonSerializer.Serialize(model, Json));
        LossChart.Write(chartPath + ".tmp", report.EpochLoss, Array.Empty<double>());
        File.Move(reportPath + ".tmp", reportPath, overwrite: true);
        File.Move(modelPath + ".tmp", modelPath, overwrite: true);
        File.Move(chartPath + ".tmp", chartPath, overwrite: true);
        AnsiConsole.MarkupLine($"rounds {report.Rounds:N0} ({report.RoundsPerStep:F0} per step), {report.Seconds / spec.Epochs:F2} s per epoch");
        AnsiConsole.MarkupLine($"wrote {Markup.Escape(reportPath)}, {Markup.Escape(modelPath)} and {Markup.Escape(chartPath)}");
    }
}

/// <summary>report.json of <c>train</c>: the session's released figures and costs.</summary>
internal sealed record TrainReport(string Session, string[] Parties, string Model, double[] EpochLoss, int Steps, long Rounds, double RoundsPerStep,
    long BytesOpened, long DealerBytes, double SecondsPerEpoch, string[] Released);

/// <summary>The client found no gateway of the cluster.</summary>
internal sealed class ClusterUnreachableException(string message) : Exception(message);
