using System.Text.Json;
using SecureCompute.Client.Output;
using Spectre.Console;

namespace SecureCompute.Client.Demo;

/// <summary>
/// What the demo shows of governance: the policy each party's silo used (<c>policies/&lt;party&gt;.json</c>), the model
/// each recipient party received (<c>parties/&lt;party&gt;/model.json</c>) and each party's exported audit trail
/// (<c>audit/&lt;party&gt;.jsonl</c>, checkable with <c>audit verify</c>).
/// </summary>
internal static class DemoGovernance
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>Writes the three folders anew (through temporary names; earlier runs' files are removed first).</summary>
    public static void Write(DirectoryInfo folder, DemoClusterRun run, Func<string, object> modelOf)
    {
        string policies = Path.Combine(folder.FullName, "policies");
        string parties = Path.Combine(folder.FullName, "parties");
        string audit = Path.Combine(folder.FullName, "audit");
        foreach (string dir in new[] { policies, parties, audit })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
            Directory.CreateDirectory(dir);
        }
        foreach (var policy in run.Policies)
        {
            AtomicFile.WriteAllText(Path.Combine(policies, $"{policy.Party}.json"), policy.ToJson());
        }
        foreach (string party in run.PartyModels.Keys)
        {
            string own = Path.Combine(parties, party);
            Directory.CreateDirectory(own);
            AtomicFile.WriteAllText(Path.Combine(own, "model.json"), JsonSerializer.Serialize(modelOf(party), Json));
        }
        foreach (var (party, lines) in run.AuditTrails)
        {
            AtomicFile.WriteAllText(Path.Combine(audit, $"{party}.jsonl"), string.Join('\n', lines) + "\n");
        }
        AnsiConsole.MarkupLine($"policies (explicit and permissive, for the demo): {Markup.Escape(policies)}");
        AnsiConsole.MarkupLine($"the model went to {Markup.Escape(string.Join(", ", run.Recipients))}; recipient parties' copies: {Markup.Escape(parties)}");
        AnsiConsole.MarkupLine($"audit trails ({run.AuditTrails.Values.Sum(l => l.Length)} lines; check with `audit verify FILE`): {Markup.Escape(audit)}");
    }
}
