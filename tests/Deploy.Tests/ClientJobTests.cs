using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureCompute.Client;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;

namespace SecureCompute.Deploy.Tests;

/// <summary>
/// The train Job against the client: its arguments parse with the client's own command line, the session spec is
/// valid and names exactly the parties the overlays deploy, and it reaches the cluster the silos form.
/// </summary>
public sealed class ClientJobTests
{
    private static readonly string SpecFile = Path.Combine(RepositoryPaths.Kubernetes, "client", "session.json");

    private static readonly JsonSerializerOptions SpecJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Each client kustomization and the overlay (same namespace) whose cluster it trains on.</summary>
    public static TheoryData<string, string> Clients => new()
    {
        { "client", "overlays/dealer" },
        { "overlays/single-cluster/client", "overlays/single-cluster" },
    };

    /// <summary>The parties of deploy/k8s/client/session.json.</summary>
    internal static string[] SessionSpecParties() => LoadSpec().Parties;

    [Fact]
    public void Session_spec_is_valid()
    {
        SessionSpec spec = LoadSpec();
        var problems = SessionSpecs.Validate(spec with { Session = spec.Session ?? "deploy-check" });
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Null(spec.ReproducibleSeed);
    }

    [SkippableFact]
    public void Session_spec_names_exactly_the_parties_the_overlays_deploy()
    {
        var spec = SessionSpecParties().Order().ToList();
        var organisations = Rendering.OrganisationOverlays.SelectMany(SiloSettingsTests.Silos).Select(SiloSettingsTests.Options)
            .Where(o => o.Role == "party").Select(o => o.Party.Id).Order().ToList();
        Assert.Equal(spec, organisations);
        var single = SiloSettingsTests.Silos("overlays/single-cluster").Select(SiloSettingsTests.Options)
            .Where(o => o.Role == "party").Select(o => o.Party.Id).Order().ToList();
        Assert.Equal(spec, single);
        Assert.Single(Rendering.OrganisationOverlays.SelectMany(SiloSettingsTests.Silos).Select(SiloSettingsTests.Options), o => o.Role == "dealer");
    }

    [SkippableTheory]
    [MemberData(nameof(Clients))]
    public void Job_arguments_parse_with_the_clients_command_line(string kustomization, string cluster)
    {
        Rendering rendering = Rendering.Of(kustomization);
        PodTemplate job = Assert.Single(rendering.PodTemplates());
        Assert.Equal("Job", job.Owner.Str("kind"));
        JsonObject container = Assert.Single(job.Containers);
        var env = ContainerEnvironment.Of(container, job.Namespace);
        Assert.Empty(env.Problems);
        string[] args = container.Arr("args").Select(a => ContainerEnvironment.Reference().Replace(a!.ToString(), m => env[m.Groups[1].Value] ?? m.Value)).ToArray();
        Assert.Equal("train", args[0]);
        ParseResult parsed = CliApp.Build().Parse(args);
        Assert.True(parsed.Errors.Count == 0, string.Join("\n", parsed.Errors.Select(e => e.Message)));
        // sh runs the client's published assembly with these arguments.
        Assert.Contains("SecureCompute.Client.dll \"$@\"", string.Join(' ', container.Arr("command").Select(c => c?.ToString())));

        Rendering target = Rendering.Of(cluster);
        Assert.Equal(target.OfKind("Namespace").Single().Name(), job.Namespace);
        var silo = SiloSettingsTests.Options(target.Silos().First());
        Assert.Equal(silo.Clustering.ClusterId, Value(args, "--cluster-id"));
        var redisProblems = Services.CheckAddress(target, Value(args, "--redis").Split(',')[0], "--redis").ToList();
        Assert.True(redisProblems.Count == 0, string.Join("\n", redisProblems));
        foreach (string option in new[] { "--spec", "--tls-cert", "--tls-key", "--tls-ca" })
        {
            string? problem = Mounts.Provides(rendering, job, container, Value(args, option), allowPersistentVolume: false);
            Assert.True(problem is null, $"{kustomization}: {option} {Value(args, option)}: {problem}");
        }
    }

    private static string Value(string[] args, string option)
    {
        int i = Array.IndexOf(args, option);
        Assert.True(i >= 0 && i + 1 < args.Length, $"the Job passes no {option}");
        return args[i + 1];
    }

    private static SessionSpec LoadSpec() =>
        JsonSerializer.Deserialize<SessionSpec>(File.ReadAllText(SpecFile), SpecJson) ?? throw new InvalidOperationException($"{SpecFile} is empty");
}
