using SecureCompute.Grains.Interfaces.Sessions;
using Spectre.Console;

namespace SecureCompute.Client;

/// <summary>Runs a session on a cluster with a progress bar per epoch showing the released loss (demo and train).</summary>
internal static class SessionProgressBar
{
    /// <summary>Starts <paramref name="spec"/>, follows it on the console, and returns its report.</summary>
    /// <param name="grains">The cluster.</param>
    /// <param name="spec">The session.</param>
    /// <param name="client">Who this client is (a recipient gets the model in the report).</param>
    /// <param name="cancellationToken">Stops following.</param>
    public static async Task<SessionReport> RunAsync(IGrainFactory grains, SessionSpec spec, Grains.Interfaces.Governance.ClientSigner client,
        CancellationToken cancellationToken)
    {
        SessionReport? report = null;
        await AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask("preparing session", maxValue: spec.Epochs);
                report = await SessionClient.RunAsync(grains, spec, progress =>
                {
                    task.Value = progress.EpochLoss.Length;
                    task.Description = progress.EpochLoss.Length == 0
                        ? progress.State.ToString().ToLowerInvariant()
                        : $"epoch {progress.EpochLoss.Length}/{spec.Epochs}, loss {progress.EpochLoss[^1]:F4}";
                }, cancellationToken, client);
                task.Value = spec.Epochs;
            });
        return report!;
    }
}
