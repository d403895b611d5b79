using System.CommandLine;
using SecureCompute.Client.Bench;

var root = new RootCommand("SecureCompute: joint model training on secret-shared data (MPC over Z_2^64).");
root.Subcommands.Add(BenchCommand.Create());
return root.Parse(args).Invoke();
