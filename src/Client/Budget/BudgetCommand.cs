using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureCompute.Client.Cluster;
using SecureCompute.Client.Output;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Privacy;

namespace SecureCompute.Client.Budget;

/// <summary>
/// <c>budget show --party P [--json F]</c>: a party's privacy budget ledger as its own operator sees it — per dataset
/// the total, spent, reserved and remaining ε (and δ), and every session that reserved, spent or got back its share.
/// Exit 0; 1 when the cluster refuses (another party's operator, no identity) or cannot be reached; 2 on bad input.
/// </summary>
internal static class BudgetCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("budget", "A party's privacy budget ledger (differential privacy): spent, reserved and remaining ε per dataset.");
        command.Subcommands.Add(Show());
        return command;
    }

    private static Command Show()
    {
        var connection = new ClusterConnection();
        var party = new Option<string>("--party") { Description = "The party whose ledger to show (your operator identity must be one of its).", Required = true };
        var json = new Option<FileInfo>("--json") { Description = "Also write the ledger as JSON here." };
        var command = new Command("show", "Show your party's ledger: total, spent, reserved and remaining ε and δ, and the sessions behind them.") { party, json };
        connection.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            string wanted = result.GetValue(party)!;
            var (tls, signer, problem) = connection.Identity(result);
            if (problem is not null || signer?.Identity is not { } who)
            {
                Console.Error.WriteLine($"error: {problem ?? "an operator's identity is needed: a client certificate that names one (urn:securecompute:client:<party>:<name>), or --as party:name without TLS."}");
                return 2;
            }
            if (who.Party != wanted)
            {
                Console.Error.WriteLine($"error: --party {wanted}: a ledger is shown only to its own party's operators, and you are '{who}'.");
                return 2;
            }
            try
            {
                using IHost client = await ClusterConnection.ConnectAsync(result.GetValue(connection.Redis)!, result.GetValue(connection.ClusterId)!, tls, cancellationToken);
                BudgetStatement statement = await client.Services.GetRequiredService<IGrainFactory>().GetGrain<IPrivacyBudgetGrain>(wanted)
                    .ShowAsync(signer.For(ClientPurpose.ShowBudget, wanted));
                Console.Write(Describe(statement));
                if (result.GetValue(json) is { } file)
                {
                    AtomicFile.WriteAllText(file.FullName, JsonSerializer.Serialize(statement, Json) + "\n");
                    Console.WriteLine($"wrote {file.FullName}");
                }
                await client.StopAsync(CancellationToken.None);
                return 0;
            }
            catch (Exception e) when (e is ClusterUnreachableException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>The ledger in plain words: one line of totals, then one line per session.</summary>
    internal static string Describe(BudgetStatement s)
    {
        var c = CultureInfo.InvariantCulture;
        string total = s.TotalEpsilon is { } t ? t.ToString("0.####", c) : "no limit";
        string remaining = s.RemainingEpsilon is { } r ? r.ToString("0.####", c) : "no limit";
        var text = new System.Text.StringBuilder();
        text.AppendLine(string.Create(c, $"party {s.Party}, dataset {s.Dataset}: ε total {total}, spent {s.SpentEpsilon:0.####}, reserved {s.ReservedEpsilon:0.####}, remaining {remaining}"));
        text.AppendLine(string.Create(c, $"  δ total {(s.TotalDelta is { } d ? d.ToString("G3", c) : "no limit")}, spent {s.SpentDelta:G3}, reserved {s.ReservedDelta:G3}"));
        if (s.Sessions.Length == 0)
        {
            text.AppendLine("  no DP session yet.");
        }
        foreach (BudgetEntry e in s.Sessions)
        {
            text.AppendLine(string.Create(c, $"  {e.Session}: {e.State.ToString().ToLowerInvariant()} ε = {e.Epsilon:0.####}, δ = {e.Delta:G3} (since {e.Since.UtcDateTime:u})"));
        }
        return text.ToString();
    }
}
