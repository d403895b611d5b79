using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SecureCompute.Silo.Tests;

/// <summary>A redis-server process on a free loopback port, without persistence, for one test class.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process process;

    private RedisServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Starts redis-server (installed by .ci/run from Debian's packages) and waits until it answers PING.</summary>
    public static RedisServer Start()
    {
        int port = ChildProcess.FreePort();
        var start = new ProcessStartInfo("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("redis-server is not installed: `apt-get install -y redis-server` (.ci/run does this).");
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port);
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (!server.Answers())
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                server.Dispose();
                throw new InvalidOperationException($"redis-server did not answer on port {port}.");
            }
            Thread.Sleep(100);
        }
        return server;
    }

    /// <summary>Stops the server.</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        process.Dispose();
    }

    private bool Answers()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using NetworkStream stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            int read = stream.Read(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
