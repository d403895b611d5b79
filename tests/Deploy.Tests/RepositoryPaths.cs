namespace SecureCompute.Deploy.Tests;

/// <summary>Paths in the repository, found from the test's output folder.</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root (where SecureCompute.sln is).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>deploy/k8s.</summary>
    public static string Kubernetes => Path.Combine(Root, "deploy", "k8s");

    /// <summary>A path under the repository root, given with '/' separators.</summary>
    public static string Of(string relative) => Path.Combine(Root, Path.Combine(relative.Split('/')));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecureCompute.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (SecureCompute.sln) is not above the test output folder.");
    }
}
