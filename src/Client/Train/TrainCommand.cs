using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using SecureCompute.Silo.Security;
using SecureCompute.Client.Charts;
using SecureCompute.Client.Output;
using SecureCompute.Client.Cluster;
using SecureCompute.Grains.Interfaces.Governance;
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

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var connection = new ClusterConnection();
        var specFile = new Option<FileInfo>("--spec") { Description = "The session spec (JSON; see docs/session-spec.md).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for report.json, model.json and loss.png.", DefaultValueFactory = _ => new DirectoryInfo("out/train") };
        var command = new Command("train", "Train jointly on a running cluster: the parties' silos hold the data; this client sees progress and the released model.")
        {
            specFile, output,
        };
        connection.AddTo(command);
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
            var (tls, signer, identityProblem) = connection.Identity(result);
            if (identityProblem is not null)
            {
                Console.Error.WriteLine($"error: {identityProblem}");
                return 2;
            }
            try
            {
                return await RunAsync(result.GetValue(connection.Redis)!, result.GetValue(connection.ClusterId)!, spec, result.GetValue(output)!, cancellationToken, tls, signer);
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
        ConsortiumTls? tls = null, ClientSigner? signer = null)
    {
        signer ??= ClientSigner.Anonymous;
        using IHost client = await ClusterConnection.ConnectAsync(redis, clusterId, tls, cancellationToken);
        var grains = client.Services.GetRequiredService<IGrainFactory>();
        AnsiConsole.MarkupLine($"[bold]SecureCompute train[/]: session {Markup.Escape(spec.Session)}, parties {Markup.Escape(string.Join(", ", spec.Parties))}, " +
                               $"{Markup.Escape(spec.Model.Name())} regression on label [italic]{Markup.Escape(spec.Label)}[/]");
        SessionReport report = await SessionProgressBar.RunAsync(grains, spec, signer, cancellationToken);
        await client.StopAsync(CancellationToken.None);
        Write(output, spec, report, signer);
        return 0;
    }

    /// <summary>Writes report.json, model.json and loss.png with <see cref="AtomicFile"/>, each whole or not at all, after all three are made.</summary>
    /// <remarks>model.json only when this client received the model (a named client recipient, or an operator of a
    /// recipient party); otherwise the report says who received it, and no stale model.json is left behind.</remarks>
    private static void Write(DirectoryInfo folder, SessionSpec spec, SessionReport report, ClientSigner signer)
    {
        folder.Create();
        string[] recipients = SessionRecipients.Of(spec).ToArray();
        string weights = $"the final weights (to {string.Join(", ", recipients)} only)";
        var summary = new TrainReport(spec.Session, spec.Parties, spec.Model.Name(), report.EpochLoss, report.Steps, report.Rounds, report.RoundsPerStep,
            report.BytesOpened, report.DealerBytes, report.Seconds / spec.Epochs,
            spec.Privacy is null
                ? new[] { "per-feature mean and standard deviation over all parties", "per-epoch loss", weights, "row counts, schema, hyper-parameters" }
                : new[] { weights + ", differentially private", "row counts, schema, hyper-parameters, the public bounds" },
            recipients, report.Weights.Length > 0)
        {
            Privacy = spec.Privacy is { } p ? new TrainPrivacy(p.Epsilon, p.Delta, p.Mechanism == PrivacyMechanism.DpSgd ? "dpsgd" : "output") : null,
            Releases = spec.Privacy is { } q
                ? new[] { new TrainRelease("model", q.Epsilon, q.Delta) }
                : new[] { new TrainRelease("statistics", null, null), new TrainRelease("loss", null, null), new TrainRelease("model", null, null) },
        };
        string reportPath = Path.Combine(folder.FullName, "report.json");
        string modelPath = Path.Combine(folder.FullName, "model.json");
        string chartPath = Path.Combine(folder.FullName, "loss.png");
        string reportJson = JsonSerializer.Serialize(summary, Json);
        string? modelJson = report.Weights.Length == 0 ? null : JsonSerializer.Serialize(
            new ModelFile(spec.Model.Name(), report.FeatureNames, spec.Label, report.Weights[..^1], report.Weights[^1], report.Means, report.StandardDeviations), Json);
        // A DP session releases no loss: no chart (and none left from an earlier run).
        byte[]? chart = report.EpochLoss.Length > 0 ? LossChart.Render(report.EpochLoss, Array.Empty<double>()) : null;
        AtomicFile.WriteAllText(reportPath, reportJson);
        if (modelJson is not null)
        {
            AtomicFile.WriteAllText(modelPath, modelJson);
        }
        else
        {
            File.Delete(modelPath);
        }
        if (chart is not null)
        {
            AtomicFile.WriteAllBytes(chartPath, chart);
        }
        else
        {
            File.Delete(chartPath);
        }
        AnsiConsole.MarkupLine($"rounds {report.Rounds:N0} ({report.RoundsPerStep:F0} per step), {report.Seconds / spec.Epochs:F2} s per epoch");
        string written = string.Join(", ", new[] { reportPath, report.Weights.Length > 0 ? modelPath : null, chart is null ? null : chartPath }.OfType<string>().Select(Markup.Escape));
        AnsiConsole.MarkupLine(report.Weights.Length > 0
            ? $"wrote {written}"
            : $"the model went to {Markup.Escape(string.Join(", ", recipients))}; this client ({Markup.Escape(signer.ToString())}) is none of them — wrote {written}");
    }
}

/// <summary>report.json of <c>train</c>: the session's released figures and costs.</summary>
internal sealed record TrainReport(string Session, string[] Parties, string Model, double[] EpochLoss, int Steps, long Rounds, double RoundsPerStep,
    long BytesOpened, long DealerBytes, double SecondsPerEpoch, string[] Released, string[] Recipients, bool ModelReceived)
{
    /// <summary>A DP session's budget; null for a non-private session.</summary>
    public TrainPrivacy? Privacy { get; init; }

    /// <summary>Every release, with its ε (the session's budget, an upper bound; null: not private).</summary>
    public TrainRelease[] Releases { get; init; } = Array.Empty<TrainRelease>();
}

/// <summary><c>train</c>'s report: a DP session's (ε, δ) and mechanism.</summary>
internal sealed record TrainPrivacy(double Epsilon, double Delta, string Mechanism);

/// <summary><c>train</c>'s report: one release and its ε (null: not private).</summary>
internal sealed record TrainRelease(string Kind, double? Epsilon, double? Delta);
