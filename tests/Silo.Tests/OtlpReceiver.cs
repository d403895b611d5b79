using System.Collections.Concurrent;
using System.Net;

namespace SecureCompute.Silo.Tests;

/// <summary>
/// A stand-in OTLP/HTTP collector on a free loopback port: keeps every request body by path (/v1/traces, /v1/metrics)
/// and answers 200 with an empty (valid) protobuf response.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> received = new();
    private readonly Task loop;

    public OtlpReceiver()
    {
        Port = ChildProcess.FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The endpoint for OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>The bodies received on <paramref name="path"/>, joined.</summary>
    public byte[] Received(string path) => received.TryGetValue(path, out var bodies) ? bodies.SelectMany(b => b).ToArray() : Array.Empty<byte>();

    /// <summary>Waits until the bodies on <paramref name="path"/> contain <paramref name="text"/> (UTF-8), up to <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForAsync(string path, string text, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        byte[] needle = System.Text.Encoding.UTF8.GetBytes(text);
        while (DateTime.UtcNow < deadline)
        {
            if (Received(path).AsSpan().IndexOf(needle) >= 0)
            {
                return true;
            }
            await Task.Delay(200);
        }
        return false;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.GetOrAdd(context.Request.Url!.AbsolutePath, _ => new ConcurrentQueue<byte[]>()).Enqueue(body.ToArray());
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
            catch (Exception e) when (!listener.IsListening && e is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
            {
                // Stopped while answering a request (a silo's exporter flushing at shutdown): the answer no longer matters.
                return;
            }
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
