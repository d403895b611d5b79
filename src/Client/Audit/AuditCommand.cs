using System.CommandLine;

namespace SecureCompute.Client.Audit;

/// <summary><c>audit</c>: a party's audit trail — <c>export</c> it from a running cluster, <c>verify</c> an exported file.</summary>
internal static class AuditCommand
{
    /// <summary>Builds the command with its two subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("audit", "A party's signed, hash-chained audit trail (docs/audit.md).");
        command.Subcommands.Add(AuditVerifyCommand.Create());
        command.Subcommands.Add(AuditExportCommand.Create());
        return command;
    }
}
