using System.Text.Json;
using System.Text.Json.Nodes;
using SecureCompute.Silo.Options;

namespace SecureCompute.Deploy.Tests;

/// <summary>
/// Governance in the manifests: every party's silo runs under its own policy (a JSON file of its overlay, mounted
/// read-only from a ConfigMap, naming that party), the dealer under none; and reproducible seeds — every secret seed
/// derived from a public value — are allowed nowhere: no variable, argument or file turns them on.
/// </summary>
public sealed class GovernanceTests
{
    private const string PolicyVariable = "SecureCompute__Governance__PolicyFile";

    /// <summary>The policy's keys and what each must hold.</summary>
    private static readonly Dictionary<string, JsonValueKind> PolicyKeys = new()
    {
        ["party"] = JsonValueKind.String,
        ["starters"] = JsonValueKind.Array,
        ["peers"] = JsonValueKind.Array,
        ["models"] = JsonValueKind.Array,
        ["labels"] = JsonValueKind.Array,
        ["features"] = JsonValueKind.Array,
        ["minBatchSize"] = JsonValueKind.Number,
        ["maxEpochs"] = JsonValueKind.Number,
        ["minRowsPerAggregate"] = JsonValueKind.Number,
        ["releases"] = JsonValueKind.Object,
        ["approval"] = JsonValueKind.String,
        ["approvalTimeoutSeconds"] = JsonValueKind.Number,
        ["approvers"] = JsonValueKind.Array,
    };

    public static TheoryData<string> SiloOverlays => new(Rendering.SiloOverlays);

    public static TheoryData<string> Applied => new(Rendering.Applied);

    [SkippableTheory]
    [MemberData(nameof(SiloOverlays))]
    public void Every_party_silo_runs_under_its_own_policy_mounted_from_a_ConfigMap(string overlay)
    {
        Rendering rendering = Rendering.Of(overlay);
        var problems = new List<string>();
        int parties = 0;
        foreach (PodTemplate pod in rendering.Silos())
        {
            var env = ContainerEnvironment.Of(pod.SiloContainer, pod.Namespace);
            SiloHostOptions options = env.BindSiloOptions();
            if (options.Role != "party")
            {
                if (env[PolicyVariable] is not null)
                {
                    problems.Add($"{pod}: the dealer sets {PolicyVariable}, but it decides nothing a policy governs");
                }
                continue;
            }
            parties++;
            string? path = env[PolicyVariable];
            if (string.IsNullOrEmpty(path))
            {
                problems.Add($"{pod} (party {options.Party.Id}): {PolicyVariable} is not set");
                continue;
            }
            Assert.Equal(path, options.Governance.PolicyFile);
            string? text = Mounts.ConfigMapText(rendering, pod, pod.SiloContainer, path, out string problem);
            if (text is null)
            {
                problems.Add($"{pod}: {PolicyVariable} = {path}: {problem}");
                continue;
            }
            problems.AddRange(PolicyProblems(text, $"{pod}: {path}", options.Party.Id));
        }
        Assert.True(overlay == "overlays/dealer" || parties > 0, $"{overlay}: no party silo");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Each_party_overlay_ships_a_valid_policy_of_its_own()
    {
        // Without kubectl too: the files themselves, beside the overlay that names them.
        var problems = new List<string>();
        string[] files = Directory.GetFiles(Path.Combine(RepositoryPaths.Kubernetes, "overlays"), "policy.json", SearchOption.AllDirectories);
        foreach (string file in files)
        {
            string party = Path.GetFileName(Path.GetDirectoryName(file)!);
            problems.AddRange(PolicyProblems(File.ReadAllText(file), Path.GetRelativePath(RepositoryPaths.Root, file), party));
            string kustomization = File.ReadAllText(Path.Combine(Path.GetDirectoryName(file)!, "kustomization.yaml"));
            if (!kustomization.Contains("- name: silo-policy", StringComparison.Ordinal) || !kustomization.Contains("- policy.json", StringComparison.Ordinal))
            {
                problems.Add($"{Path.GetRelativePath(RepositoryPaths.Root, file)}: its kustomization generates no ConfigMap silo-policy from it");
            }
        }
        string[] expected = ["hospital-1", "hospital-2", "hospital-3"];
        Assert.Equal(expected, files.Where(f => !f.Contains("single-cluster", StringComparison.Ordinal)).Select(f => Path.GetFileName(Path.GetDirectoryName(f))).Order());
        Assert.Equal(expected, files.Where(f => f.Contains("single-cluster", StringComparison.Ordinal)).Select(f => Path.GetFileName(Path.GetDirectoryName(f))).Order());
        Assert.False(File.Exists(Path.Combine(RepositoryPaths.Kubernetes, "overlays", "dealer", "policy.json")), "the dealer has no policy");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_organisations_policies_admit_the_session_the_train_Job_runs()
    {
        // A shipped session that the shipped policies refuse would fail at its first step.
        JsonObject spec = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Kubernetes, "client", "session.json")), null,
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        var problems = new List<string>();
        foreach (string party in spec["parties"]!.AsArray().Select(p => p!.ToString()))
        {
            string file = Path.Combine(RepositoryPaths.Kubernetes, "overlays", party, "policy.json");
            JsonObject policy = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            bool Allows(string list, string value) => policy[list]!.AsArray().Any(p => p!.ToString() is "*" || p.ToString() == value);
            if (!Allows("models", spec["model"]!.ToString()))
            {
                problems.Add($"{party}: model {spec["model"]} is not allowed");
            }
            if (!Allows("labels", spec["label"]!.ToString()))
            {
                problems.Add($"{party}: label {spec["label"]} is not allowed");
            }
            problems.AddRange(spec["parties"]!.AsArray().Select(p => p!.ToString()).Where(p => !Allows("peers", p)).Select(p => $"{party}: peer {p} is not allowed"));
            if (spec["batchSize"]!.GetValue<int>() < policy["minBatchSize"]!.GetValue<int>())
            {
                problems.Add($"{party}: batch size {spec["batchSize"]} is below its minimum {policy["minBatchSize"]}");
            }
            if (spec["epochs"]!.GetValue<int>() > policy["maxEpochs"]!.GetValue<int>())
            {
                problems.Add($"{party}: {spec["epochs"]} epochs exceed its maximum {policy["maxEpochs"]}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [SkippableTheory]
    [MemberData(nameof(Applied))]
    public void No_rendered_object_allows_reproducible_seeds(string kustomization)
    {
        Rendering rendering = Rendering.Of(kustomization);
        var problems = rendering.Documents.SelectMany(d => ReproducibleSeedScan.Problems(d, $"{kustomization} {d.Str("kind")}/{d.Name()}")).ToList();
        // The silos' settings as they bind: off in every one.
        problems.AddRange(rendering.Silos().Where(p => SiloSettingsTests.Options(p).Governance.AllowReproducibleSeeds).Select(p => $"{kustomization} {p}: AllowReproducibleSeeds binds to true"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void No_file_under_deploy_allows_reproducible_seeds()
    {
        // The raw files, so that this holds where kubectl is missing (and for patches no overlay uses yet).
        var problems = new List<string>();
        string deploy = RepositoryPaths.Of("deploy");
        var files = Directory.EnumerateFiles(deploy, "*", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Contains("node_modules") && !Path.GetFileName(f).StartsWith("package", StringComparison.Ordinal))
            .ToList();
        int scanned = 0;
        foreach (string file in files)
        {
            string where = Path.GetRelativePath(RepositoryPaths.Root, file);
            string text = File.ReadAllText(file);
            switch (Path.GetExtension(file))
            {
                case ".yaml" or ".yml":
                    foreach (JsonNode? root in Rendering.ParseYamlRoots(text))
                    {
                        problems.AddRange(ReproducibleSeedScan.Problems(root, where));
                    }
                    scanned++;
                    break;
                case ".json":
                    problems.AddRange(ReproducibleSeedScan.Problems(JsonNode.Parse(text, null, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }), where));
                    scanned++;
                    break;
                case ".sh" or ".Dockerfile" or ".mjs":
                    // Comments may name the flag to say it stays off; commands may not.
                    var lines = text.Split('\n').Select((line, i) => (Line: line.Trim(), Number: i + 1)).Where(l => !l.Line.StartsWith('#') && !l.Line.StartsWith("//", StringComparison.Ordinal));
                    problems.AddRange(lines.SelectMany(l => ReproducibleSeedScan.TextProblems(l.Line, $"{where}:{l.Number}")));
                    scanned++;
                    break;
            }
        }
        Assert.True(scanned > 40, $"only {scanned} files under deploy/ were scanned");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("env: [{name: SecureCompute__Governance__AllowReproducibleSeeds, value: \"true\"}]")]
    [InlineData("env: [{name: securecompute__governance__allowreproducibleseeds, value: \"True\"}]")]
    [InlineData("env: [{name: SecureCompute__Governance__AllowReproducibleSeeds, valueFrom: {configMapKeyRef: {name: x, key: y}}}]")]
    [InlineData("args: [silo, --allow-reproducible-seeds]")]
    [InlineData("command: [/bin/sh, -c, \"dotnet /app/SecureCompute.Silo.dll --allow-reproducible-seeds\"]")]
    [InlineData("args: [\"--SecureCompute:Governance:AllowReproducibleSeeds=true\"]")]
    [InlineData("args: [\"--SecureCompute:Governance:AllowReproducibleSeeds\", \"1\"]")]
    [InlineData("data: {SecureCompute__Governance__AllowReproducibleSeeds: \"yes\"}")]
    [InlineData("configMapGenerator: [{name: x, literals: [SecureCompute__Governance__AllowReproducibleSeeds=true]}]")]
    [InlineData("data: {appsettings.json: '{\"SecureCompute\": {\"Governance\": {\"AllowReproducibleSeeds\": true}}}'}")]
    [InlineData("- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: {name: SecureCompute__Governance__AllowReproducibleSeeds, value: \"true\"}")]
    public void The_seed_scan_finds_each_way_to_turn_them_on(string yaml)
    {
        // The negative control: the scans above are not vacuous.
        Assert.NotEmpty(Rendering.ParseYamlRoots(yaml).SelectMany(r => ReproducibleSeedScan.Problems(r, "test")));
    }

    [Theory]
    [InlineData("env: [{name: SecureCompute__Governance__AllowReproducibleSeeds, value: \"false\"}]")]
    [InlineData("args: [\"--SecureCompute:Governance:AllowReproducibleSeeds\", \"false\"]")]
    [InlineData("env: [{name: SecureCompute__Governance__PolicyFile, value: /etc/securecompute/policy/policy.json}]")]
    public void The_seed_scan_lets_false_and_other_settings_be(string yaml)
    {
        Assert.Empty(Rendering.ParseYamlRoots(yaml).SelectMany(r => ReproducibleSeedScan.Problems(r, "test")));
    }

    /// <summary>What is wrong with a policy file's text for <paramref name="party"/>: not JSON, keys missing, unknown or mistyped, another party.</summary>
    private static IEnumerable<string> PolicyProblems(string text, string where, string party)
    {
        JsonObject policy;
        try
        {
            policy = JsonNode.Parse(text)?.AsObject() ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return [$"{where}: not a JSON object ({e.Message})"];
        }
        var problems = new List<string>();
        foreach (var (key, kind) in PolicyKeys)
        {
            if (policy[key] is not { } value)
            {
                problems.Add($"{where}: no \"{key}\"");
            }
            else if (value.GetValueKind() != kind)
            {
                problems.Add($"{where}: \"{key}\" is {value.GetValueKind()}, not {kind}");
            }
            else if (kind == JsonValueKind.Array && (value.AsArray().Count == 0 || value.AsArray().Any(v => v?.GetValueKind() != JsonValueKind.String)))
            {
                problems.Add($"{where}: \"{key}\" must be a non-empty list of strings");
            }
            else if (kind == JsonValueKind.Number && !(value.AsValue().TryGetValue(out int n) && n > 0))
            {
                problems.Add($"{where}: \"{key}\" must be a positive whole number");
            }
        }
        problems.AddRange(policy.Select(kv => kv.Key).Except(PolicyKeys.Keys).Select(k => $"{where}: unknown key \"{k}\""));
        if (policy["party"]?.ToString() != party)
        {
            problems.Add($"{where}: \"party\" is '{policy["party"]}', but the silo is party '{party}'");
        }
        if (policy["approval"]?.ToString() is not ("automatic" or "manual"))
        {
            problems.Add($"{where}: \"approval\" must be automatic or manual, not '{policy["approval"]}'");
        }
        if (policy["releases"] is JsonObject releases)
        {
            foreach (string kind in new[] { "statistics", "loss", "model" })
            {
                if (releases[kind] is not JsonArray to || to.Any(r => r?.GetValueKind() != JsonValueKind.String))
                {
                    problems.Add($"{where}: \"releases\" has no list for {kind}");
                }
            }
        }
        foreach (string list in new[] { "starters", "approvers" })
        {
            foreach (string who in (policy[list] as JsonArray ?? []).Select(w => w?.ToString() ?? ""))
            {
                string[] parts = who.Split(':');
                if (who != "*" && !(parts.Length == 2 && parts.All(p => p.Length > 0)))
                {
                    problems.Add($"{where}: \"{list}\" entry '{who}' is neither * nor party:name (name may be *)");
                }
            }
        }
        return problems;
    }
}
