using System.CommandLine;
using SecureCompute.Client.Bench;
using SecureCompute.Client.Demo;
using SecureCompute.Mpc.Ring;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Client.Tests;

/// <summary>The console's enum and list options: the names they take, the errors for others, and help.</summary>
public sealed class CommandOptionTests
{
    [Theory]
    [InlineData("demo --model bogus", "--model must be logistic, linear, softmax or mlp, not 'bogus'.")]
    [InlineData("demo --model 1", "--model must be logistic, linear, softmax or mlp, not '1'.")]
    [InlineData("demo --engine cluster,simulator", "--engine must be cluster or simulator, not 'cluster,simulator'.")]
    [InlineData("demo --trace otel", "--trace must be none, console or otlp, not 'otel'.")]
    [InlineData("bench matmul --algorithm fast", "--algorithm must be auto, limb or int64, not 'fast'.")]
    [InlineData("bench training --model linear", "--model must be logistic, softmax or mlp, not 'linear'.")]
    [InlineData("bench training --engine all", "--engine must be both, simulator or cluster, not 'all'.")]
    [InlineData("bench training --parties 2,x", "--parties must be comma-separated whole numbers from 2 to 16, not '2,x'.")]
    [InlineData("bench training --rows 100,-5", "--rows must be comma-separated whole numbers from 2 to 1000000, not '100,-5'.")]
    public void AnotherWordFailsNamingTheChoices(string command, string expected)
    {
        (int exit, _, string error) = CliRun.Run(command.Split(' '));
        Assert.NotEqual(0, exit);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void NamesAreTakenInAnyCaseAndAbsentOptionsTakeTheirDefaults()
    {
        ParseResult demo = CliApp.Build().Parse(new[] { "demo", "--model", "MLP", "--engine", " Simulator ", "--trace", "Console" });
        Assert.Empty(demo.Errors);
        Assert.Equal(SessionModel.Mlp, demo.GetValue<SessionModel?>("--model"));
        Assert.Equal(DemoEngine.Simulator, demo.GetValue<DemoEngine?>("--engine"));
        Assert.Equal(TraceExport.Console, demo.GetValue<TraceExport?>("--trace"));

        ParseResult absent = CliApp.Build().Parse(new[] { "demo" });
        Assert.Empty(absent.Errors);
        Assert.Null(absent.GetValue<DemoEngine?>("--engine"));

        foreach (string word in new[] { "limb", "limbsplit", "LIMB" })
        {
            ParseResult matmul = CliApp.Build().Parse(new[] { "bench", "matmul", "--algorithm", word });
            Assert.Empty(matmul.Errors);
            Assert.Equal(RingMatMulAlgorithm.LimbSplit, matmul.GetValue<RingMatMulAlgorithm?>("--algorithm"));
        }

        ParseResult training = CliApp.Build().Parse(new[] { "bench", "training", "--parties", "2,3,5,8,3", "--rows", "569, 10000", "--engine", "simulator" });
        Assert.Empty(training.Errors);
        Assert.Equal(new[] { 2, 3, 5, 8 }, training.GetValue<int[]?>("--parties"));
        Assert.Equal(new[] { 569, 10000 }, training.GetValue<int[]?>("--rows"));
        Assert.Equal(ScalingEngines.Simulator, training.GetValue<ScalingEngines?>("--engine"));
    }

    [Fact]
    public void HelpListsTheLowerCaseNamesAndDefault()
    {
        (int exit, string output, _) = CliRun.Run("demo", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--model <logistic|linear|softmax|mlp>", output);
        Assert.Contains("--engine <cluster|simulator>", output);
        Assert.Contains("--trace <none|console|otlp>", output);
        Assert.Contains("[default: cluster]", output);
        Assert.DoesNotContain("Cluster", output);
        Assert.DoesNotContain("Simulator", output);
        (_, string matmul, _) = CliRun.Run("bench", "matmul", "--help");
        Assert.Contains("--algorithm <auto|limb|int64>", matmul);
        Assert.Contains("[default: auto]", matmul);
    }

    /// <summary>Words that parse but do not fit the workload end with exit code 2 and a line saying why, before any training.</summary>
    [Theory]
    [InlineData("bench training --engine simulator", "--engine chooses the scaling grid's engines")]
    [InlineData("bench training --model softmax --parties 2,3", "--parties takes one number for a softmax or mlp workload")]
    [InlineData("bench training --model mlp --rows 1000", "--rows and --engine choose the logistic scaling grid")]
    [InlineData("bench training --parties 2,8 --rows 5", "every row count must be at least the largest party count")]
    [InlineData("bench training --parties 2,3 --tls", "--tls belongs to the default logistic bench")]
    public void ScalingOptionsOutsideTheGridAreRefused(string command, string expected)
    {
        (int exit, _, string error) = CliRun.Run(command.Split(' '));
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
    }
}
