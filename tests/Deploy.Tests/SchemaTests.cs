namespace SecureCompute.Deploy.Tests;

/// <summary>
/// The rendered documents validate against the Kubernetes API's schemas, offline: deploy/k8s/validate/validate.mjs
/// (the npm package kubernetes-models).
/// </summary>
public sealed class SchemaTests
{
    private static readonly string ValidatorFolder = Path.Combine(RepositoryPaths.Kubernetes, "validate");

    public static TheoryData<string> Applied => new(Rendering.Applied);

    [SkippableTheory]
    [MemberData(nameof(Applied))]
    public void Rendered_documents_validate_against_the_Kubernetes_schemas(string kustomization)
    {
        Rendering rendering = Rendering.Of(kustomization);
        var (exit, output) = Validate(rendering.Yaml, kustomization.Replace('/', '-'));
        Assert.True(exit == 0, $"deploy/k8s/{kustomization} does not validate:\n{output}");
        Assert.Contains("documents valid", output);
    }

    [SkippableFact]
    public void Validator_rejects_a_wrong_type_and_an_unknown_kind()
    {
        // The negative control: the validator is not vacuous.
        const string bad = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broken
            spec:
              selector:
                matchLabels: {app: x}
              template:
                metadata:
                  labels: {app: x}
                spec:
                  containers:
                    - name: x
                      image: x
                      ports:
                        - containerPort: "eleven"
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudgit
            metadata:
              name: typo
            """;
        var (exit, output) = Validate(bad, "negative-control");
        Assert.Equal(1, exit);
        Assert.Contains("/spec/template/spec/containers/0/ports/0/containerPort", output);
        Assert.Contains("no schema for apiVersion policy/v1 kind PodDisruptionBudgit", output);
    }

    private static (int Exit, string Output) Validate(string yaml, string name)
    {
        Skip.If(Tools.Node is null, "node is not on PATH: the schema validation of the rendered manifests did NOT run (install Node.js, then npm ci --prefix deploy/k8s/validate)");
        Skip.IfNot(Directory.Exists(Path.Combine(ValidatorFolder, "node_modules", "kubernetes-models")),
            "deploy/k8s/validate/node_modules is missing: the schema validation did NOT run (npm ci --prefix deploy/k8s/validate; .ci/run does this)");
        string file = Path.Combine(Path.GetTempPath(), $"securecompute-{name}-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, yaml);
        try
        {
            var (exit, output, error) = Tools.Run(Tools.Node!, [Path.Combine(ValidatorFolder, "validate.mjs"), file], workingDirectory: ValidatorFolder);
            return (exit, (output + error).Replace(file, name));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
