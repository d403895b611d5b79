using System.CommandLine;
using SecureCompute.Learning.Privacy.Accounting;

namespace SecureCompute.Client.Privacy;

/// <summary>
/// <c>privacy noise --epsilon E --delta D --sample-rate Q --steps T [--accountant rdp|prv] [--json F]</c>: the noise
/// multiplier whose ε is at most E and within the tolerance of it (Opacus' <c>get_noise_multiplier</c>).
/// </summary>
internal static class PrivacyNoiseCommand
{
    /// <summary>What <c>--json</c> writes.</summary>
    internal sealed record Result(string Accountant, double Sigma, double Epsilon, double TargetEpsilon, double Delta, double? Alpha,
        double? EpsilonEstimate, double SampleRate, long Steps, double Tolerance);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var options = new PrivacyOptions();
        var epsilon = new Option<double>("--epsilon") { Description = "The target ε: the σ returned spends at most this.", Required = true };
        var tolerance = new Option<double>("--tolerance") { Description = "How far below the target the achieved ε may be.", DefaultValueFactory = _ => 0.01 };
        var command = new Command("noise", "The noise multiplier σ that meets a target (ε, δ) for T steps at sample rate q.");
        command.Options.Add(epsilon);
        command.Options.Add(tolerance);
        options.AddTo(command);
        command.SetAction(result =>
        {
            var (steps, problems) = options.Read(result);
            double target = result.GetValue(epsilon), tol = result.GetValue(tolerance);
            if (!(target > 0) || double.IsInfinity(target))
            {
                problems.Insert(0, $"--epsilon must be a positive finite number, not {target}.");
            }
            if (!(tol > 0 && tol < target))
            {
                problems.Add($"--tolerance must be positive and below the target ε, not {tol}.");
            }
            if (problems.Count > 0)
            {
                return PrivacyOptions.Fail(problems);
            }
            var kind = options.Accountant.ValueIn(result);
            double q = result.GetValue(options.SampleRate), delta = result.GetValue(options.Delta);
            double sigma;
            PrivacyGuarantee achieved;
            try
            {
                (sigma, achieved) = NoiseCalibration.NoiseMultiplier(PrivacyAccountants.For(kind), target, delta, q, steps, tol);
            }
            catch (ArgumentException e)
            {
                return PrivacyOptions.Fail([e.Message]);
            }
            Console.WriteLine($"σ = {sigma:G6}: {PrivacyEpsilonCommand.Describe(achieved, sigma, q, steps)} (target ε = {target})");
            options.WriteJson(result, new Result(PrivacyOptions.Name(kind), sigma, achieved.Epsilon, target, delta, achieved.Alpha,
                achieved.EpsilonEstimate, q, steps, tol));
            return 0;
        });
        return command;
    }
}
