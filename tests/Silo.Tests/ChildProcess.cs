using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SecureCompute.Silo.Tests;

/// <summary>A program run as a child process with its output kept; killed (whole tree) on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string? readyLine)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Take(e.Data, readyLine);
        process.ErrorDataReceived += (_, e) => Take(e.Data, null);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"the process exited ({process.ExitCode}) before it was ready:\n{Output}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything it printed so far.</summary>
    public string Output => string.Join('\n', lines);

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Its exit code (once exited).</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Runs <c>dotnet <paramref name="program"/> <paramref name="arguments"/></c> (with extra environment variables, if any).</summary>
    public static ChildProcess StartDotnet(string program, IEnumerable<string> arguments, string? readyLine = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        start.ArgumentList.Add(program);
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        return new ChildProcess(Process.Start(start)!, readyLine);
    }

    /// <summary>Waits until the ready line was printed; fails with the output if it exits or times out first.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        try
        {
            await ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"not ready within {timeout.TotalSeconds:F0} s:\n{Output}");
        }
    }

    /// <summary>Waits for it to exit; returns the exit code.</summary>
    public async Task<int> WaitExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return process.ExitCode;
    }

    /// <summary>A free TCP port on the loopback interface.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Kills it at once (SIGKILL on Linux: no shutdown, no goodbye to the cluster).</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    /// <summary>Kills it and its children.</summary>
    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }

    private void Take(string? line, string? readyLine)
    {
        if (line is null)
        {
            return;
        }
        lines.Enqueue(line);
        if (readyLine is not null && line.StartsWith(readyLine, StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
    }
}
