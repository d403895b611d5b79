using System.Text.RegularExpressions;
using System.Xml.Linq;
using SecureCompute.Silo.Options;

namespace SecureCompute.Deploy.Tests;

/// <summary>
/// The Dockerfiles against the projects they build (no container engine is needed): the restore layer copies every
/// project the published one depends on, the entry point is the published assembly, the stages share a distribution
/// and the runtime stage checks that TorchSharp's native library loads.
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string, string> Images => new()
    {
        { "deploy/docker/silo.Dockerfile", "src/Silo/Silo.csproj" },
        { "deploy/docker/client.Dockerfile", "src/Client/Client.csproj" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Restore_layer_copies_every_project_the_published_one_needs(string dockerfile, string project)
    {
        var instructions = Instructions(dockerfile);
        int restore = instructions.FindIndex(i => i.StartsWith("RUN dotnet restore ", StringComparison.Ordinal));
        Assert.True(restore > 0, "no RUN dotnet restore");
        Assert.Contains(project, instructions[restore]);
        // Where each copied file lands (relative to WORKDIR /src): it must be where the repository has it.
        var copied = new HashSet<string>();
        foreach (string copy in instructions.Take(restore).Where(i => i.StartsWith("COPY ", StringComparison.Ordinal)))
        {
            string[] words = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
            string destination = words[^1] == "./" ? "" : words[^1];
            foreach (string source in words[..^1])
            {
                copied.Add(source.EndsWith('/') ? destination : destination.EndsWith('/') || destination == "" ? destination + Path.GetFileName(source) : destination);
            }
        }
        foreach (string needed in Closure(project))
        {
            Assert.True(copied.Contains(needed), $"{dockerfile} restores before copying {needed}");
        }
        foreach (string file in new[] { "global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "build/" })
        {
            Assert.Contains(file, copied);
        }
        Assert.Contains(instructions, i => i.StartsWith("RUN dotnet publish " + project, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Entry_point_is_the_published_assembly_run_by_a_non_root_user(string dockerfile, string project)
    {
        var instructions = Instructions(dockerfile);
        string assembly = "SecureCompute." + Path.GetFileNameWithoutExtension(project) + ".dll";
        Assert.Equal($"ENTRYPOINT [\"dotnet\", \"{assembly}\"]", instructions.Last(i => i.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
        Assert.Contains(instructions, i => i == "WORKDIR /app");
        string user = instructions.Last(i => i.StartsWith("USER ", StringComparison.Ordinal))[5..];
        Assert.True(user == "$APP_UID" || (int.TryParse(user, out int uid) && uid > 0), $"{dockerfile} runs as '{user}'");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Stages_share_one_distribution_and_the_runtime_checks_the_native_library(string dockerfile, string project)
    {
        _ = project;
        var instructions = Instructions(dockerfile);
        var froms = instructions.Where(i => i.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, froms.Count);
        Assert.All(froms, f => Assert.Contains(":10.0-${DISTRO}", f));
        Assert.Contains("/sdk:", froms[0]);
        Assert.Contains("/runtime:", froms[1]);
        int runtime = instructions.IndexOf(froms[1]);
        Assert.Contains(instructions.Skip(runtime), i => i.StartsWith("RUN if ldd /app/libLibTorchSharp.so", StringComparison.Ordinal) && i.Contains("weak version"));
    }

    [Fact]
    public void Silo_image_exposes_the_default_ports()
    {
        var defaults = new PortOptions();
        string expose = Instructions("deploy/docker/silo.Dockerfile").Single(i => i.StartsWith("EXPOSE ", StringComparison.Ordinal));
        Assert.Equal($"EXPOSE {defaults.Silo} {defaults.Gateway}", expose);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Build_context_keeps_out_build_outputs(string dockerfile, string project)
    {
        _ = project;
        string[] ignore = File.ReadAllLines(RepositoryPaths.Of(dockerfile + ".dockerignore"));
        Assert.Contains("!src/**", ignore);
        Assert.Contains("!build/**", ignore);
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    /// <summary>The project and every project it references, transitively (paths from the root, '/'-separated).</summary>
    private static IEnumerable<string> Closure(string project)
    {
        var seen = new HashSet<string>();
        var queue = new Queue<string>([project]);
        while (queue.Count > 0)
        {
            string current = queue.Dequeue();
            if (!seen.Add(current))
            {
                continue;
            }
            string full = RepositoryPaths.Of(current);
            Assert.True(File.Exists(full), $"{current} does not exist");
            foreach (var reference in XDocument.Load(full).Descendants("ProjectReference"))
            {
                string path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, reference.Attribute("Include")!.Value));
                queue.Enqueue(Path.GetRelativePath(RepositoryPaths.Root, path).Replace('\\', '/'));
            }
        }
        return seen;
    }

    /// <summary>The instructions, continuation lines joined, comments dropped, whitespace collapsed.</summary>
    private static List<string> Instructions(string dockerfile)
    {
        string text = File.ReadAllText(RepositoryPaths.Of(dockerfile));
        string joined = Continuation().Replace(string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith('#'))), " ");
        return joined.Split('\n').Select(l => Spaces().Replace(l.Trim(), " ")).Where(l => l.Length > 0).ToList();
    }

    [GeneratedRegex(@"\\\s*\n")]
    private static partial Regex Continuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
