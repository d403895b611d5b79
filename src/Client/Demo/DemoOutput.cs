using System.Text.Json;
using SecureCompute.Client.Charts;
using SecureCompute.Client.Output;
using Spectre.Console;

namespace SecureCompute.Client.Demo;

/// <summary>What the demo shows and writes: the figures' table, and report.json, model.json, loss.png and (classifiers) accuracy.png.</summary>
internal static class DemoOutput
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>The secure model's figures beside the baseline's, and the session's cost.</summary>
    public static void Print(DemoReport r)
    {
        bool federated = r.Federated is not null;
        var table = new Table().AddColumn("").AddColumn(new TableColumn(federated ? "federated (secure sum)" : "secure (MPC)").RightAligned())
            .AddColumn(new TableColumn(federated ? "pooled, equal epochs" : "plaintext baseline").RightAligned());
        if (r.Secure.Mse is null)
        {
            table.AddRow("held-out accuracy", $"{r.Secure.HeldOutAccuracy:P2}", $"{r.Plaintext.HeldOutAccuracy:P2}");
            table.AddRow("training accuracy", $"{r.Secure.Accuracy:P2}", $"{r.Plaintext.Accuracy:P2}");
        }
        else
        {
            table.AddRow("held-out MSE", $"{r.Secure.HeldOutMse:F2}", $"{r.Plaintext.HeldOutMse:F2}");
            table.AddRow("training MSE", $"{r.Secure.Mse:F2}", $"{r.Plaintext.Mse:F2}");
        }
        table.AddRow("final epoch loss", r.Secure.EpochLoss.Length > 0 ? $"{r.Secure.EpochLoss[^1]:F4}" : "not released",
            r.Plaintext.EpochLoss.Length > 0 ? $"{r.Plaintext.EpochLoss[^1]:F4}" : "");
        if (r.MaxAbsWeightDiff is { } diff)
        {
            table.AddRow("max |Δw| vs same approximation", $"{diff:E2}", "");
        }
        table.AddRow("rounds (per step)", $"{r.Rounds:N0} ({r.RoundsPerStep:F0})", "");
        table.AddRow("bytes opened / dealer bytes", $"{r.BytesOpened:N0} / {r.DealerBytes:N0}", "");
        table.AddRow(federated ? "seconds per round" : "seconds per epoch", $"{r.SecondsPerEpoch:F2}", "");
        AnsiConsole.Write(table);
        if (r.Federated is { } f)
        {
            Console.WriteLine($"federated averaging: {f.Rounds} rounds × {f.LocalEpochs} local epochs ({f.EpochEquivalents} epoch-equivalents, {f.SecondsPerEpochEquivalent:0.000} s each), " +
                              $"split {f.Split}, update clip {(f.ClipNorm is { } clip ? clip.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) : "none")}, μ = {f.Proximal}; " +
                              $"the baseline is MPC mode's training in float64 on the pooled rows for {f.EpochEquivalents} epochs" +
                              (f.HeldOutAccuracyGap is { } gap ? $"; held-out gap {gap * 100:+0.00;-0.00;0.00} pp" : ""));
            Console.WriteLine($"reveals: {f.Reveals}");
        }
        if (r.Privacy is { } p)
        {
            string nonPrivate = r.NonPrivate is { } np ? (np.Mse is null ? $"{np.HeldOutAccuracy:P2} held-out accuracy" : $"{np.HeldOutMse:F2} held-out MSE") : "";
            Console.WriteLine($"differential privacy: ε = {p.EpsilonSpent:0.000} (budget {p.Epsilon}) at δ = {p.Delta:G2}, {p.Mechanism}, σ = {p.Sigma:0.000}, {(p.ClipNorm is { } c ? $"C = {c}" : $"Δ = {p.Sensitivity:0.0000}, λ = {p.Regularisation}")}, " +
                              $"noise against coalitions of up to {p.ToleratedCoalition}; the plaintext baseline is the same DP program in float64; non-private float64: {nonPrivate}");
            Console.WriteLine($"releases: {string.Join("; ", r.Releases.Select(x => $"{x.Kind} (ε = {x.Epsilon:0.000})"))}");
            if (r.Budgets is { } budgets)
            {
                Console.WriteLine($"privacy budgets: {string.Join("; ", budgets.Select(b => $"{b.Party} {b.Session ?? "-"}, spent ε = {b.SpentEpsilon:0.###}, remaining {(b.RemainingEpsilon is { } left ? left.ToString("0.###") : "no limit")}"))}");
            }
        }
        PrintEpochAccuracy(r.Plaintext);
    }

    /// <summary>The plaintext baseline's accuracy after each epoch, one line per set of rows (nothing for regression).</summary>
    public static void PrintEpochAccuracy(ModelFigures plaintext)
    {
        static string Series(double[] values) => values.Length <= 12
            ? string.Join(" ", values.Select(v => $"{v:P1}"))
            : $"{string.Join(" ", values[..6].Select(v => $"{v:P1}"))} … {string.Join(" ", values[^5..].Select(v => $"{v:P1}"))}";
        if (plaintext.EpochAccuracy is { Length: > 0 } train)
        {
            Console.WriteLine($"plaintext baseline accuracy per epoch, training rows: {Series(train)}");
        }
        if (plaintext.EpochHeldOutAccuracy is { Length: > 0 } held)
        {
            Console.WriteLine($"plaintext baseline accuracy per epoch, held-out rows: {Series(held)}");
        }
    }

    /// <summary>
    /// Writes report.json, model.json, loss.png and, for a classifier, accuracy.png with <see cref="AtomicFile"/>, each
    /// whole or not at all, after all of them are made (so a chart that fails replaces none); no model.json (and none
    /// left from an earlier run) when the demo's client is not a recipient, no accuracy.png (and none left) for
    /// regression.
    /// </summary>
    /// <remarks>
    /// The accuracy chart is the plaintext baseline's per-epoch accuracy with the secure model's final accuracy marked at
    /// the last epoch: the secure model's accuracy is opened once, at the end, on shares — per epoch it would cost an
    /// evaluation on shares and a release each.
    /// </remarks>
    public static void Write(DirectoryInfo folder, DemoReport report, object? model)
    {
        folder.Create();
        string reportPath = Path.Combine(folder.FullName, "report.json");
        string modelPath = Path.Combine(folder.FullName, "model.json");
        string chartPath = Path.Combine(folder.FullName, "loss.png");
        string accuracyPath = Path.Combine(folder.FullName, "accuracy.png");
        string reportJson = JsonSerializer.Serialize(report, Json);
        string? modelJson = model is null ? null : JsonSerializer.Serialize(model, model.GetType(), Json);
        // A DP session releases no loss: there is no secure curve to draw.
        byte[]? chart = report.Secure.EpochLoss.Length > 0 ? LossChart.Render(report.Secure.EpochLoss, report.Plaintext.EpochLoss) : null;
        byte[]? accuracy = AccuracyPng(report);
        AtomicFile.WriteAllText(reportPath, reportJson);
        if (modelJson is not null)
        {
            AtomicFile.WriteAllText(modelPath, modelJson);
        }
        else
        {
            File.Delete(modelPath);
        }
        if (chart is not null)
        {
            AtomicFile.WriteAllBytes(chartPath, chart);
        }
        else
        {
            File.Delete(chartPath);
        }
        if (accuracy is not null)
        {
            AtomicFile.WriteAllBytes(accuracyPath, accuracy);
        }
        else
        {
            File.Delete(accuracyPath);
        }
        string[] written = new[] { reportPath, model is null ? null : modelPath, chart is null ? null : chartPath, accuracy is null ? null : accuracyPath }.OfType<string>()
            .Select(Markup.Escape).ToArray();
        AnsiConsole.MarkupLine($"wrote {(written.Length == 1 ? written[0] : $"{string.Join(", ", written[..^1])} and {written[^1]}")}" + (model is null ? " (no model.json: the demo's client is not a recipient)" : ""));
    }

    /// <summary>The accuracy chart of a classifier's report (null for regression): the plaintext baseline per epoch, the secure model's final figures marked.</summary>
    private static byte[]? AccuracyPng(DemoReport report)
    {
        if (report.Plaintext.EpochAccuracy is not { Length: > 0 } train || report.Secure.Accuracy is not { } secureTrain)
        {
            return null;
        }
        var secure = new FinalAccuracy("secure (final)", secureTrain, report.Secure.HeldOutAccuracy);
        return AccuracyChart.Render(train, report.Plaintext.EpochHeldOutAccuracy, $"{report.Model}: accuracy per epoch", secure, "plaintext");
    }
}
