namespace SecureCompute.Client.Tests;

/// <summary>Runs the console app in-process as a user would, capturing what it writes.</summary>
internal static class CliRun
{
    /// <summary>Runs <paramref name="args"/>; returns the exit code, standard output and standard error.</summary>
    /// <remarks>Console redirection is process-wide: this project's tests run one at a time (AssemblyInfo.cs).</remarks>
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        TextWriter previousOut = Console.Out, previousError = Console.Error;
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int exit = CliApp.Build().Parse(args).Invoke();
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }
}
