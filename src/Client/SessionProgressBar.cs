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
                    int done = Math.Max(progress.EpochsDone, progress.EpochLoss.Length);
                    task.Value = done;
                    task.Description = done == 0
                        ? progress.State.ToString().ToLowerInvariant()
                        : progress.EpochLoss.Length == done
                            ? $"epoch {done}/{spec.Epochs}, loss {progress.EpochLoss[^1]:F4}"
                            : $"epoch {done}/{spec.Epochs} (a DP session releases no loss)";
                }, cancellationToken, client);
                task.Value = spec.Epochs;
            });
        return report!;
    }
}
