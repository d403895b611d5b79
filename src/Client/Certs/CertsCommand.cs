using System.CommandLine;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Silo.Security;

namespace SecureCompute.Client.Certs;

/// <summary>
/// <c>certs --out DIR --parties a,b,c [--hosts h1,h2] [--operators a:alice,b:bob]</c>: a throwaway CA and certificates
/// for every party, the dealer, the parties' client operators and a client of no member, for local runs with TLS.
/// Development only: every key, the CA's included, lands on this machine.
/// </summary>
internal static class CertsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the PEM files.", Required = true };
        var parties = new Option<string>("--parties") { Description = "Comma-separated party ids, e.g. hospital-1,hospital-2,hospital-3.", Required = true };
        var hosts = new Option<string>("--hosts") { Description = "Comma-separated extra host names or IP addresses for the silo certificates (localhost and 127.0.0.1 are always in)." };
        var operators = new Option<string>("--operators")
        {
            Description = "Comma-separated client operators as party:name, e.g. hospital-1:alice,hospital-2:bob (files client-<party>-<name>.crt/.key). " +
                          $"Default: <party>:{DevelopmentCertificates.DefaultOperatorName} for every party.",
        };
        var command = new Command("certs", "DEVELOPMENT ONLY: create a throwaway CA and per-party, dealer, operator and client certificates for local runs with TLS.")
        {
            output, parties, hosts, operators,
        };
        command.SetAction(result =>
        {
            string[] ids = Split(result.GetValue(parties));
            string? operatorList = result.GetValue(operators);
            var problems = PartyProblems(ids).ToList();
            IReadOnlyList<OperatorIdentity>? named = null;
            if (operatorList is not null)
            {
                problems.AddRange(OperatorProblems(Split(operatorList), ids, out List<OperatorIdentity> parsed));
                named = parsed;
            }
            foreach (string problem in problems)
            {
                Console.Error.WriteLine($"error: {problem}");
            }
            if (problems.Count > 0)
            {
                return 2;
            }
            string[] extra = Split(result.GetValue(hosts));
            IReadOnlyList<string> files = DevelopmentCertificates.Write(result.GetValue(output)!.FullName, ids, extra, operators: named);
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

    private static string[] Split(string? list) => (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<string> PartyProblems(string[] ids)
    {
        if (ids.Length == 0)
        {
            yield return "--parties names no party.";
        }
        foreach (string id in ids.Where(id => !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            yield return $"party id '{id}' must be letters, digits, '-' or '_'.";
        }
        foreach (var twice in ids.GroupBy(id => id).Where(g => g.Count() > 1))
        {
            yield return $"party id '{twice.Key}' is named twice.";
        }
        foreach (string id in ids.Where(id => id is "ca" or "dealer" or "client"))
        {
            yield return $"party id '{id}' would overwrite the {id}'s files.";
        }
    }

    /// <summary>Every problem with the --operators entries; <paramref name="parsed"/> gets the distinct valid ones.</summary>
    private static List<string> OperatorProblems(string[] entries, string[] parties, out List<OperatorIdentity> parsed)
    {
        var problems = new List<string>();
        parsed = new List<OperatorIdentity>();
        if (entries.Length == 0)
        {
            problems.Add("--operators names no operator.");
        }
        foreach (string entry in entries)
        {
            if (OperatorIdentity.TryParse(entry) is not { } @operator)
            {
                problems.Add($"operator '{entry}' must be party:name (each letters, digits, '-', '_' or '.').");
            }
            else if (!parties.Contains(@operator.Party))
            {
                problems.Add($"operator '{entry}' belongs to '{@operator.Party}', which is not one of --parties ({string.Join(",", parties)}).");
            }
            else if (parsed.Contains(@operator))
            {
                problems.Add($"operator '{entry}' is named twice.");
            }
            else
            {
                parsed.Add(@operator);
            }
        }
        // Distinct operators whose file names meet (a-b:c and a:b-c), or meet a party's.
        var owners = parties.Distinct().Select(p => (File: p, Owner: $"party '{p}'", IsOperator: false))
            .Concat(parsed.Select(o => (File: DevelopmentCertificates.FileName(o), Owner: $"operator '{o}'", IsOperator: true)));
        foreach (var clash in owners.GroupBy(f => f.File).Where(g => g.Count() > 1 && g.Any(f => f.IsOperator)))
        {
            problems.Add($"{string.Join(" and ", clash.Select(c => c.Owner))} would {(clash.Count() == 2 ? "both" : "all")} write {clash.Key}.crt.");
        }
        return problems;
    }
}
