using System.CommandLine;
using SecureCompute.Silo.Security;

namespace SecureCompute.Client.Certs;

/// <summary>
/// <c>certs --out DIR --parties a,b,c [--hosts h1,h2]</c>: a throwaway CA and certificates for every party, the dealer
/// and a client, for local runs with TLS. Development only: every key, the CA's included, lands on this machine.
/// </summary>
internal static class CertsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the PEM files.", Required = true };
        var parties = new Option<string>("--parties") { Description = "Comma-separated party ids, e.g. hospital-1,hospital-2,hospital-3.", Required = true };
        var hosts = new Option<string>("--hosts") { Description = "Comma-separated extra host names or IP addresses for the silo certificates (localhost and 127.0.0.1 are always in)." };
        var command = new Command("certs", "DEVELOPMENT ONLY: create a throwaway CA and per-party, dealer and client certificates for local runs with TLS.")
        {
            output, parties, hosts,
        };
        command.SetAction(result =>
        {
            string[] ids = result.GetValue(parties)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var problems = new List<string>();
            if (ids.Length == 0)
            {
                problems.Add("--parties names no party.");
            }
            problems.AddRange(ids.Where(id => !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')).Select(id => $"party id '{id}' must be letters, digits, '-' or '_'."));
            problems.AddRange(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => $"party id '{g.Key}' is named twice."));
            problems.AddRange(ids.Where(id => id is "ca" or "dealer" or "client").Select(id => $"party id '{id}' would overwrite the {id}'s files."));
            foreach (string problem in problems)
            {
                Console.Error.WriteLine($"error: {problem}");
            }
            if (problems.Count > 0)
            {
                return 2;
            }
            string[] extra = (result.GetValue(hosts) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            IReadOnlyList<string> files = DevelopmentCertificates.Write(result.GetValue(output)!.FullName, ids, extra);
            Console.WriteLine($"wrote {files.Count} files to {result.GetValue(output)!.FullName} (valid {DevelopmentCertificates.Validity.TotalDays:F0} days):");
            foreach (string file in files)
            {
                Console.WriteLine($"  {Path.GetFileName(file)}");
            }
            Console.WriteLine("NOT FOR PRODUCTION: one machine made and holds every key, the CA's included (see docs/deploy-kubernetes.md).");
            return 0;
        });
        return command;
    }
}
