using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureCompute.Client.Cluster;
using SecureCompute.Grains.Interfaces.Governance;

namespace SecureCompute.Client.Audit;

/// <summary>
/// <c>audit export --party P --out FILE --redis …</c>: fetches a party's trail from a running cluster and writes it.
/// With TLS the request is signed with the client's certificate; without, the operator is declared with <c>--as</c>.
/// Only an operator of party P gets P's trail.
/// </summary>
internal static class AuditExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var connection = new ClusterConnection();
        var party = new Option<string>("--party") { Description = "The party whose trail to export.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The file to write (JSON lines; replaced whole).", Required = true };
        var command = new Command("export", "Export a party's audit trail from a running cluster to a file (an operator of that party only).")
        {
            party, output,
        };
        connection.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            string id = result.GetValue(party)!;
            var (tls, signer, problem) = connection.Identity(result);
            if (problem is not null)
            {
                Console.Error.WriteLine($"error: {problem}");
                return 2;
            }
            ClientCredential credential = signer!.For(ClientPurpose.ExportAudit, id);
            try
            {
                using IHost client = await ClusterConnection.ConnectAsync(result.GetValue(connection.Redis)!, result.GetValue(connection.ClusterId)!, tls, cancellationToken);
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
