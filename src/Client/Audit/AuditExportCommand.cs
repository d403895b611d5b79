using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureCompute.Client.Train;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Silo.Security;

namespace SecureCompute.Client.Audit;

/// <summary>
/// <c>audit export --party P --out FILE --redis …</c>: fetches a party's trail from a running cluster and writes it.
/// With TLS the request is signed with the client's certificate; without, the operator is declared with <c>--as</c>.
/// </summary>
internal static class AuditExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var party = new Option<string>("--party") { Description = "The party whose trail to export.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The file to write (JSON lines; replaced whole).", Required = true };
        var redis = new Option<string>("--redis") { Description = "The cluster's Redis (a StackExchange.Redis connection string), e.g. 127.0.0.1:6379.", Required = true };
        var clusterId = new Option<string>("--cluster-id") { Description = "The cluster id the silos use.", DefaultValueFactory = _ => "securecompute" };
        var tlsCert = new Option<string>("--tls-cert") { Description = "This client's certificate (PEM) for mutual TLS with the silos; it also signs the request." };
        var tlsKey = new Option<string>("--tls-key") { Description = "The certificate's private key (PEM)." };
        var tlsCa = new Option<string>("--tls-ca") { Description = "The consortium's CA certificate (PEM)." };
        var declared = new Option<string>("--as") { Description = "Without TLS (development only): the operator, as party:name." };
        var command = new Command("export", "Export a party's audit trail from a running cluster to a file.")
        {
            party, output, redis, clusterId, tlsCert, tlsKey, tlsCa, declared,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            string id = result.GetValue(party)!;
            ConsortiumTls? tls;
            try
            {
                tls = ClientTls.Load(result.GetValue(tlsCert), result.GetValue(tlsKey), result.GetValue(tlsCa));
            }
            catch (TlsSetupException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            string? operatorText = result.GetValue(declared);
            OperatorIdentity? identity = OperatorIdentity.TryParse(operatorText);
            if (operatorText is not null && identity is null)
            {
                Console.Error.WriteLine("error: --as must be party:name (letters, digits, '-', '_', '.').");
                return 2;
            }
            ClientCredential credential = tls is not null
                ? ClientCredential.Signed(ClientPurpose.ExportAudit, id, tls.Certificate)
                : ClientCredential.Declaring(ClientPurpose.ExportAudit, id, identity);
            try
            {
                using IHost client = await ClusterConnection.ConnectAsync(result.GetValue(redis)!, result.GetValue(clusterId)!, tls, cancellationToken);
                string file = result.GetValue(output)!.FullName;
                long entries = await AuditExport.WriteAsync(client.Services.GetRequiredService<IGrainFactory>(), id, credential, file);
                await client.StopAsync(CancellationToken.None);
                Console.WriteLine($"wrote {entries} entries of party {id} to {file}");
                return 0;
            }
            catch (ClusterUnreachableException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or UnauthorizedAccessException or IOException or OrleansException)
            {
                Console.Error.WriteLine($"error: the export of party {id} failed: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
