using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Policy;
using SecureCompute.Grains.Training;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Tests.Policy;

public sealed class PartyPolicyLoaderTests : IDisposable
{
    private const string Party = "hospital-1";

    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-policy-").FullName;

    [Fact]
    public void ReadsTheDocumentedExampleWithCommentsAndTrailingCommas()
    {
        string path = Write("policy.json", """
            {
              "party": "hospital-1",                  // required
              "starters": ["hospital-1:*", "hospital-2:alice",],
              "peers": ["hospital-2", "hospital-3"],
              /* block comments too */
              "models": ["logistic"],
              "labels": ["outcome"],
              "features": ["age", "bmi"],
              "minBatchSize": 32,
              "maxEpochs": 20,
              "minRowsPerAggregate": 100,
              "releases": {
                "statistics": ["$parties"],
                "loss": ["$parties", "$starter"],
                "model": ["hospital-1", "hospital-2:*"],
              },
              "approval": "manual",
              "approvalTimeoutSeconds": 900,
              "approvers": ["hospital-1:*"],
            }
            """);
        PartyPolicy policy = PartyPolicyLoader.Load(path, Party);
        PartyPolicy expected = PartyPolicy.RestrictiveDefault(Party) with
        {
            Starters = [PolicyPattern.AnyOperator(Party), PolicyPattern.ForOperator(new OperatorIdentity("hospital-2", "alice"))],
            Peers = [PolicyPattern.ForParty("hospital-2"), PolicyPattern.ForParty("hospital-3")],
            Models = [SessionModel.Logistic],
            Labels = ["outcome"],
            Features = ["age", "bmi"],
            MinBatchSize = 32,
            MaxEpochs = 20,
            MinRowsPerAggregate = 100,
            Releases = new ReleaseRules(
                [PolicyPattern.SessionParties],
                [PolicyPattern.SessionParties, PolicyPattern.Starter],
                [PolicyPattern.ForParty(Party), PolicyPattern.AnyOperator("hospital-2")]),
            Approval = ApprovalMode.Manual,
            ApprovalTimeoutSeconds = 900,
            Approvers = [PolicyPattern.AnyOperator(Party)],
        };
        Assert.Equal(expected, policy);
        Assert.Equal(TimeSpan.FromMinutes(15), policy.ApprovalTimeout);
        Assert.Empty(PartyPolicyLoader.Problems(path, Party));
    }

    [Fact]
    public void AnAbsentFieldKeepsTheRestrictiveDefault()
    {
        PartyPolicy policy = PartyPolicyLoader.Load(Write("p.json", """{ "party": "hospital-1" }"""), Party);
        Assert.Equal(PartyPolicy.RestrictiveDefault(Party), policy);
        Assert.Equal([PolicyPattern.AnyOperator(Party)], policy.Starters.ToArray());
        Assert.Equal([SessionModel.Logistic, SessionModel.Linear, SessionModel.Softmax, SessionModel.Mlp], policy.Models.ToArray());
        Assert.Equal(ReleaseRules.PartiesOnly, policy.Releases);
        Assert.Equal(ApprovalMode.Automatic, policy.Approval);

        PartyPolicy partial = PartyPolicyLoader.Load(Write("q.json", """{ "party": "hospital-1", "releases": { "loss": ["*"] } }"""), Party);
        Assert.Equal([PolicyPattern.Anyone], partial.Releases.Loss.ToArray());
        Assert.Equal([PolicyPattern.SessionParties], partial.Releases.Model.ToArray());
    }

    [Fact]
    public void ListsEveryProblemAtOnceOnePerLine()
    {
        string path = Write("bad.json", """
            {
              "party": "hospital-2",
              "maxEpoch": 20,
              "minBatchSize": -4,
              "models": ["logistic", "forest"]
            }
            """);
        var error = Assert.Throws<PolicyException>(() => PartyPolicyLoader.Load(path, Party));
        string[] lines = error.Message.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.All(lines, line => Assert.StartsWith($"{path}: $.", line));
        Assert.Contains(lines, l => l.Contains("$.party: policy is for 'hospital-2' but this silo is party 'hospital-1'"));
        Assert.Contains(lines, l => l.Contains("$.maxEpoch: unknown property"));
        Assert.Contains(lines, l => l.Contains("$.minBatchSize: must be at least 1, not -4"));
        Assert.Contains(lines, l => l.Contains("$.models[1]: unknown model 'forest'"));
        Assert.Equal(lines, error.Problems);
        Assert.Equal(path, error.File);
        Assert.Equal(lines, PartyPolicyLoader.Problems(path, Party));
    }

    [Theory]
    [InlineData("""{ "party": "hospital-1", "releases": { "evaluation": ["*"] } }""", "$.releases.evaluation", "unknown property")]
    [InlineData("""{ "party": "hospital-1", "Party": "hospital-1" }""", "$.Party", "unknown property")]
    [InlineData("""{ "party": "hospital-1", "party": "hospital-1" }""", "$.party", "appears more than once")]
    [InlineData("""{ "starters": [] }""", "$.party", "required")]
    [InlineData("""{ "party": 7 }""", "$.party", "must be a string, not a number")]
    [InlineData("""{ "party": "hospital 1" }""", "$.party", "is not a party id")]
    [InlineData("""{ "party": "hospital-1", "starters": "hospital-1:*" }""", "$.starters", "must be an array of strings, not a string")]
    [InlineData("""{ "party": "hospital-1", "starters": ["hospital-1:*", 3] }""", "$.starters[1]", "must be a string, not a number")]
    [InlineData("""{ "party": "hospital-1", "starters": ["$starter"] }""", "$.starters[0]", "names the starter itself")]
    [InlineData("""{ "party": "hospital-1", "starters": ["$everyone"] }""", "$.starters[0]", "unknown placeholder '$everyone'")]
    [InlineData("""{ "party": "hospital-1", "peers": ["hospital-2:*"] }""", "$.peers[0]", "is not a party id or '*'")]
    [InlineData("""{ "party": "hospital-1", "releases": { "model": ["hospital 2"] } }""", "$.releases.model[0]", "is not a party id")]
    [InlineData("""{ "party": "hospital-1", "releases": { "model": ["a:b:c"] } }""", "$.releases.model[0]", "is not a client identity")]
    [InlineData("""{ "party": "hospital-1", "releases": [] }""", "$.releases", "must be an object")]
    [InlineData("""{ "party": "hospital-1", "labels": [""] }""", "$.labels[0]", "must not be empty")]
    [InlineData("""{ "party": "hospital-1", "maxEpochs": 0 }""", "$.maxEpochs", "must be at least 1, not 0")]
    [InlineData("""{ "party": "hospital-1", "maxEpochs": 2.5 }""", "$.maxEpochs", "must be a whole number")]
    [InlineData("""{ "party": "hospital-1", "maxEpochs": "20" }""", "$.maxEpochs", "must be a whole number, not a string")]
    [InlineData("""{ "party": "hospital-1", "minRowsPerAggregate": -1 }""", "$.minRowsPerAggregate", "must be at least 1")]
    [InlineData("""{ "party": "hospital-1", "approval": "sometimes" }""", "$.approval", "must be 'automatic' or 'manual', not 'sometimes'")]
    [InlineData("""{ "party": "hospital-1", "approvalTimeoutSeconds": 0 }""", "$.approvalTimeoutSeconds", "between 1 and 86400, not 0")]
    [InlineData("""{ "party": "hospital-1", "approvalTimeoutSeconds": 86401 }""", "$.approvalTimeoutSeconds", "between 1 and 86400, not 86401")]
    [InlineData("""{ "party": "hospital-1", "approvers": ["hospital-2:bob"] }""", "$.approvers[0]", "names operators of 'hospital-2'")]
    [InlineData("""{ "party": "hospital-1", "approvers": ["*"] }""", "$.approvers[0]", "not limited to this party's operators")]
    [InlineData("""{ "party": "hospital-1", "approvers": ["$parties"] }""", "$.approvers[0]", "not limited to this party's operators")]
    [InlineData("""[ "hospital-1" ]""", "$", "must be an object, not an array")]
    public void EachProblemNamesTheFileAndThePath(string json, string jsonPath, string problem)
    {
        string path = Write("p.json", json);
        IReadOnlyList<string> problems = PartyPolicyLoader.Problems(path, Party);
        string line = Assert.Single(problems);
        Assert.StartsWith($"{path}: {jsonPath}: ", line);
        Assert.Contains(problem, line);
    }

    [Fact]
    public void ASyntaxErrorNamesLineAndPosition()
    {
        string path = Write("p.json", "{\n  \"party\": \"hospital-1\",\n  \"maxEpochs\": ,\n}");
        string line = Assert.Single(PartyPolicyLoader.Problems(path, Party));
        Assert.StartsWith($"{path}: $: not valid JSON at line 3, position 16", line);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        string path = Path.Combine(folder, "absent.json");
        var error = Assert.Throws<PolicyException>(() => PartyPolicyLoader.Load(path, Party));
        Assert.Equal($"{path}: $: the policy file does not exist.", error.Message);
    }

    [Fact]
    public void ToJsonLoadsBackEqual()
    {
        var random = new Random(20261);
        var policies = new List<PartyPolicy> { PartyPolicy.RestrictiveDefault(Party), PartyPolicy.Permissive(Party) };
        for (int i = 0; i < 20; i++)
        {
            policies.Add(RandomPolicy(random));
        }
        foreach (PartyPolicy policy in policies)
        {
            string json = policy.ToJson();
            string path = Write("round.json", json);
            PartyPolicy loaded = PartyPolicyLoader.Load(path, Party);
            Assert.True(policy.Equals(loaded), $"round trip (seed 20261) changed the policy:\n{json}\n{loaded.ToJson()}");
            Assert.Equal(json, loaded.ToJson());
        }
    }

    [Fact]
    public void ToJsonWritesEveryFieldInTheDocumentedOrder()
    {
        string json = PartyPolicy.RestrictiveDefault(Party).ToJson();
        string[] order =
        [
            "party", "starters", "peers", "models", "labels", "features", "minBatchSize", "maxEpochs", "minRowsPerAggregate",
            "releases", "statistics", "loss", "model", "approval", "approvalTimeoutSeconds", "approvers",
        ];
        int[] at = order.Select(name => json.IndexOf($"\"{name}\":", StringComparison.Ordinal)).ToArray();
        Assert.All(at, i => Assert.True(i >= 0, json));
        Assert.Equal(at.Order(), at);
        Assert.Contains("\"hospital-1:*\"", json);
        Assert.Contains("\"$parties\"", json);
        Assert.Contains("\"automatic\"", json);
        Assert.Contains("\"logistic\"", json);
    }

    private static PartyPolicy RandomPolicy(Random random)
    {
        string[] patterns = ["*", "$parties", "$starter", "hospital-2", "hospital-3:*", "hospital-2:alice", "hospital-1:*"];
        string[] approvers = ["hospital-1:*", "hospital-1:alice", "hospital-1", "hospital-1:bob.smith"];
        string[] columns = ["*", "age", "bmi", "blood pressure", "é-col"];
        PolicyPattern[] Pick(string[] from, Func<PolicyPattern, bool>? where = null) =>
            from.Select(PolicyPattern.Parse).Where(p => (where?.Invoke(p) ?? true) && random.Next(2) == 0).ToArray();
        return PartyPolicy.RestrictiveDefault(Party) with
        {
            Starters = [.. Pick(patterns, p => p.Kind != PatternKind.Starter)],
            Peers = [.. Pick(patterns, p => p.Kind is PatternKind.Anyone or PatternKind.Party)],
            Models = [.. Enum.GetValues<SessionModel>().Where(_ => random.Next(2) == 0)],
            Labels = [.. columns.Where(_ => random.Next(2) == 0)],
            Features = [.. columns.Where(_ => random.Next(2) == 0)],
            MinBatchSize = random.Next(1, 1000),
            MaxEpochs = random.Next(1, int.MaxValue),
            MinRowsPerAggregate = random.NextInt64(1, long.MaxValue),
            Releases = new ReleaseRules([.. Pick(patterns)], [.. Pick(patterns)], [.. Pick(patterns)]),
            Approval = random.Next(2) == 0 ? ApprovalMode.Automatic : ApprovalMode.Manual,
            ApprovalTimeoutSeconds = random.Next(1, PartyPolicy.MaxApprovalTimeoutSeconds + 1),
            Approvers = [.. Pick(approvers)],
        };
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
