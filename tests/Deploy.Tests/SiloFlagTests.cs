using Microsoft.Extensions.Configuration;
using SecureCompute.Silo.Options;

namespace SecureCompute.Deploy.Tests;

/// <summary>The bare <c>--allow-reproducible-seeds</c> flag: off unless given; given alone or with a value, it binds as such.</summary>
public sealed class SiloFlagTests
{
    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--allow-reproducible-seeds" }, true)]
    [InlineData(new[] { "--allow-reproducible-seeds", "--party", "hospital-1" }, true)]
    [InlineData(new[] { "--party", "hospital-1", "--allow-reproducible-seeds" }, true)]
    [InlineData(new[] { "--allow-reproducible-seeds", "false" }, false)]
    [InlineData(new[] { "--allow-reproducible-seeds", "true", "--party", "hospital-1" }, true)]
    public void TheFlagBindsOnlyWhenGiven(string[] args, bool expected)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddCommandLine(SiloHostOptions.ExpandFlags(args), SiloHostOptions.SwitchMappings.ToDictionary())
            .Build();
        var options = configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        Assert.Equal(expected, options.Governance.AllowReproducibleSeeds);
        if (args.Contains("--party"))
        {
            Assert.Equal("hospital-1", options.Party.Id);
        }
    }
}
