using System.CommandLine;
using System.Runtime.CompilerServices;
using SecureCompute.Client.Audit;
using SecureCompute.Client.Bench;
using SecureCompute.Client.Certs;
using SecureCompute.Client.Demo;
using SecureCompute.Client.Train;

[assembly: InternalsVisibleTo("SecureCompute.Client.Tests")]

namespace SecureCompute.Client;

/// <summary>The console's command tree (built here so that tests can run commands in-process).</summary>
public static class CliApp
{
    /// <summary>The root command with <c>demo</c>, <c>train</c>, <c>bench</c>, <c>certs</c>, <c>sessions</c>, <c>audit</c> and <c>privacy</c>.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("SecureCompute: joint model training on secret-shared data (MPC over Z_2^64).");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(CertsCommand.Create());
        root.Subcommands.Add(Sessions.SessionsCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(Budget.BudgetCommand.Create());
        root.Subcommands.Add(Privacy.PrivacyCommand.Create());
        root.Subcommands.Add(Frontier.FrontierCommand.Create());
        return root;
    }
}
