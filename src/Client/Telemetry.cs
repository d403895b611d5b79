using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SecureCompute.Mpc.Diagnostics;

namespace SecureCompute.Client;

/// <summary>Where the console sends the protocol's spans and metrics.</summary>
internal enum TraceExport
{
    /// <summary>Nowhere.</summary>
    None,

    /// <summary>To standard output.</summary>
    Console,

    /// <summary>To an OpenTelemetry collector (OTEL_EXPORTER_OTLP_ENDPOINT, default localhost:4317).</summary>
    Otlp,
}

/// <summary>The one place that wires OpenTelemetry for the console's commands.</summary>
internal static class Telemetry
{
    /// <summary>Starts the tracer and meter providers for <paramref name="export"/>; dispose to flush. Null for none.</summary>
    public static IDisposable? Start(TraceExport export)
    {
        if (export == TraceExport.None)
        {
            return null;
        }
        ResourceBuilder resource = ResourceBuilder.CreateDefault().AddService("securecompute-client");
        TracerProviderBuilder traces = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(MpcDiagnostics.SourceName)
            .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
        MeterProviderBuilder metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(MpcDiagnostics.SourceName);
        if (export == TraceExport.Console)
        {
            traces.AddConsoleExporter();
            metrics.AddConsoleExporter();
        }
        else
        {
            traces.AddOtlpExporter();
            metrics.AddOtlpExporter();
        }
        return new Providers(traces.Build(), metrics.Build());
    }

    private sealed class Providers(TracerProvider? tracer, MeterProvider? meter) : IDisposable
    {
        public void Dispose()
        {
            tracer?.Dispose();
            meter?.Dispose();
        }
    }
}
