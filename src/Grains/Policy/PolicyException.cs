namespace SecureCompute.Grains.Policy;

/// <summary>A policy file cannot be used: the message lists every problem, one a line, each naming the file and the JSON path.</summary>
public sealed class PolicyException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> with its <paramref name="problems"/> (each already naming the file).</summary>
    public PolicyException(string file, IReadOnlyList<string> problems)
        : base(string.Join("\n", problems))
    {
        File = file;
        Problems = problems;
    }

    /// <summary>The policy file at fault.</summary>
    public string File { get; }

    /// <summary>Every problem found, one a line.</summary>
    public IReadOnlyList<string> Problems { get; }
}
