using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SecureCompute.Mpc.Diagnostics;
using SecureCompute.Silo.Options;

namespace SecureCompute.Silo.Hosting;

/// <summary>OTLP export of a silo's traces and metrics, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
/// <remarks>
/// Exports SecureCompute's source only (<see cref="MpcDiagnostics.SourceName"/>): the session, round and party spans
/// and the round metrics, whose tags are public by construction (no share, datum or unreleased weight). The
/// exporter reads the standard OTEL_* variables (endpoint, protocol, headers); the service name defaults to
/// <c>securecompute-&lt;party or dealer&gt;</c> unless OTEL_SERVICE_NAME is set.
/// </remarks>
public static class SiloTelemetry
{
    /// <summary>The variable that turns export on.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Adds export to <paramref name="builder"/> if the endpoint variable is set; returns whether it did.</summary>
    public static bool AddOtlpExport(IHostApplicationBuilder builder, SiloHostOptions options)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointVariable]) && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable)))
        {
            return false;
        }
        bool dealer = options.Role.Trim().Equals("dealer", StringComparison.OrdinalIgnoreCase);
        string service = Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { Length: > 0 } named ? named : dealer ? "securecompute-dealer" : $"securecompute-{options.Party.Id}";
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(service))
            .WithTracing(t => t.AddSource(MpcDiagnostics.SourceName).AddOtlpExporter())
            .WithMetrics(m => m.AddMeter(MpcDiagnostics.SourceName).AddOtlpExporter());
        return true;
    }
}
