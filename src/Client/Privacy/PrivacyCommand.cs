using System.CommandLine;

namespace SecureCompute.Client.Privacy;

/// <summary><c>privacy</c>: the accountants — ε from a noise multiplier, or the noise multiplier for a target ε (docs/privacy.md).</summary>
internal static class PrivacyCommand
{
    /// <summary>Builds the command with its two subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("privacy", "Differential privacy accounting for the sampled Gaussian mechanism (DP-SGD): RDP or PRV.");
        command.Subcommands.Add(PrivacyEpsilonCommand.Create());
        command.Subcommands.Add(PrivacyNoiseCommand.Create());
        return command;
    }
}
