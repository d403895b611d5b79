namespace SecureCompute.Silo.Tests;

/// <summary>Paths in the repository and in its build output, found from the test's output folder.</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root (where SecureCompute.sln is).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A party's file in data/<paramref name="folder"/>.</summary>
    public static string Data(string folder, string party) => Path.Combine(Root, "data", folder, party + ".csv");

    /// <summary>The silo program built beside this test (same configuration and runtime folder).</summary>
    public static string SiloProgram()
    {
        // tests/Silo.Tests/bin/<configuration>/<tfm>/<rid>/ → src/Silo/bin/<configuration>/<tfm>/<rid>/
        string relative = Path.GetRelativePath(Path.Combine(Root, "tests", "Silo.Tests"), AppContext.BaseDirectory);
        string path = Path.Combine(Root, "src", "Silo", relative, "SecureCompute.Silo.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"The silo program is not built at {path}; build the solution first.");
    }

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
