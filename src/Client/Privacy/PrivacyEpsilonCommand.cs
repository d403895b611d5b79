using System.CommandLine;
using System.Globalization;
using SecureCompute.Learning.Privacy.Accounting;

namespace SecureCompute.Client.Privacy;

/// <summary>
/// <c>privacy epsilon --noise-multiplier S --sample-rate Q --steps T --delta D [--accountant rdp|prv] [--json F]</c>:
/// the ε that T steps of the sampled Gaussian spend. Exit 0, or 2 on bad input (every problem named).
/// </summary>
internal static class PrivacyEpsilonCommand
{
    /// <summary>What <c>--json</c> writes.</summary>
    internal sealed record Result(string Accountant, double Epsilon, double Delta, double? Alpha, double? EpsilonEstimate, double Sigma, double SampleRate, long Steps);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var options = new PrivacyOptions();
        var sigma = new Option<double>("--noise-multiplier") { Description = "σ: the noise's standard deviation over the sensitivity (the clip norm).", Required = true };
        var command = new Command("epsilon", "The ε spent by T steps of the sampled Gaussian mechanism with noise multiplier σ at sample rate q.");
        command.Options.Add(sigma);
        options.AddTo(command);
        command.SetAction(result =>
        {
            var (steps, problems) = options.Read(result);
            double s = result.GetValue(sigma);
            if (!(s > 0) || double.IsInfinity(s))
            {
                problems.Insert(0, $"--noise-multiplier must be a positive finite number, not {s}.");
            }
            if (problems.Count > 0)
            {
                return PrivacyOptions.Fail(problems);
            }
            var kind = options.Accountant.ValueIn(result);
            double q = result.GetValue(options.SampleRate), delta = result.GetValue(options.Delta);
            PrivacyGuarantee guarantee;
            try
            {
                guarantee = PrivacyAccountants.For(kind).Epsilon([new SampledGaussian(s, q, steps)], delta);
            }
            catch (ArgumentException e)
            {
                return PrivacyOptions.Fail([e.Message]);
            }
            Console.WriteLine(Describe(guarantee, s, q, steps));
            options.WriteJson(result, new Result(PrivacyOptions.Name(kind), guarantee.Epsilon, delta, guarantee.Alpha, guarantee.EpsilonEstimate, s, q, steps));
            return 0;
        });
        return command;
    }

    /// <summary>One line: ε, δ, how it was computed and for what.</summary>
    internal static string Describe(PrivacyGuarantee g, double sigma, double q, long steps)
    {
        var c = CultureInfo.InvariantCulture;
        string how = g.Accountant == AccountantKind.Rdp
            ? string.Create(c, $"RDP, best order α = {g.Alpha:0.#}")
            : string.Create(c, $"PRV upper bound; estimate {g.EpsilonEstimate:0.0000}");
        return string.Create(c, $"ε = {g.Epsilon:0.0000} at δ = {g.Delta:G3} ({how}) for σ = {sigma:G6}, q = {q:G6}, {steps:N0} steps");
    }
}
