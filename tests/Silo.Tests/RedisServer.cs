using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SecureCompute.Silo.Tests;

/// <summary>A redis-server process on a free loopback port, without persistence, for one test class.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process process;

    private readonly bool tls;

    private RedisServer(Process process, int port, bool tls)
    {
        this.process = process;
        Port = port;
        this.tls = tls;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The connection string.</summary>
    public string ConnectionString => tls ? $"127.0.0.1:{Port},ssl=true" : $"127.0.0.1:{Port}";

    /// <summary>Starts redis-server (installed by .ci/run from Debian's packages) and waits until it answers PING.</summary>
    public static RedisServer Start() => Start(null);

    /// <summary>
    /// Starts redis-server with TLS only (no plain port), its certificate and key from <paramref name="tls"/>
    /// (certificate, key, CA files), requiring clients to present a certificate from that CA.
    /// </summary>
    public static RedisServer Start((string Certificate, string Key, string Authority)? tls)
    {
        int port = ChildProcess.FreePort();
        string arguments = tls is { } t
            ? $"--port 0 --tls-port {port} --tls-cert-file {t.Certificate} --tls-key-file {t.Key} --tls-ca-cert-file {t.Authority} --tls-auth-clients yes"
            : $"--port {port}";
        var start = new ProcessStartInfo("redis-server", $"{arguments} --bind 127.0.0.1 --save \"\" --appendonly no")
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
        var server = new RedisServer(process, port, tls is not null);
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
            if (tls)
            {
                return true;   // listening; the TLS handshake is the clients' to make
            }
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
