using System.Diagnostics;

namespace SecureCompute.Deploy.Tests;

/// <summary>The external programs the tests use (kubectl, node), and running them.</summary>
internal static class Tools
{
    /// <summary>kubectl on PATH, or null.</summary>
    public static string? Kubectl { get; } = Find("kubectl");

    /// <summary>node on PATH, or null.</summary>
    public static string? Node { get; } = Find("node");

    /// <summary>Why the kustomize tests cannot run here (null if they can).</summary>
    public static string? KubectlMissing => Kubectl is null
        ? "kubectl is not on PATH: the Kubernetes overlays were NOT rendered, so nothing about them was checked (install kubectl with kustomize v5)"
        : null;

    /// <summary>Skips the calling test, visibly, when kubectl is absent.</summary>
    public static void RequireKubectl() => Skip.If(Kubectl is null, KubectlMissing);

    /// <summary>Runs a program to completion; stdin is written and closed first.</summary>
    public static (int ExitCode, string Output, string Error) Run(string file, IEnumerable<string> arguments, string? stdin = null, string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in time.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    private static string? Find(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
