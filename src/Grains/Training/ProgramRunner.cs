using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;
using SecureCompute.Learning.Programs;
using SecureCompute.Mpc.Engine;

namespace SecureCompute.Grains.Training;

/// <summary>
/// Runs a session's training program — every model is the learning layer's <see cref="SecretProgram"/>, or its
/// <see cref="Learning.Federated.FederatedProgram"/> in federated mode — for one
/// party's engine, on that party's own rows; checkpoints, resumes and releases in the grains' shapes.
/// </summary>
internal static class ProgramRunner
{
    /// <summary>Runs party <paramref name="index"/>'s side of <paramref name="plan"/> on its own <paramref name="rows"/>;
    /// a DP session calls <paramref name="spending"/> once, just before its first DP release (private statistics, or the model) leaves the party.</summary>
    /// <remarks>The party checks its own labels first (a class of the model, or 0/1), naming its file, row and column
    /// on failure — never the value, nor which classes it holds.</remarks>
    public static PartyOutcome Run(MpcEngine mpc, SessionPlan plan, int index, PartyDataset rows, Action<int, double>? epochDone,
        Action<CheckpointData> checkpoint, CheckpointData? resume, Action<Release> released, Action? spending = null, Policy.PrivacyRules? rules = null)
    {
        SessionSpec spec = plan.Spec;
        int[] recipients = SessionRecipients.Parties(spec).ToArray();
        ProgramSpec program = SessionSpecs.ToProgram(spec, rows.Columns);
        RequirePrivacy(spec, program, rows.Columns);
        if (spec.Privacy is { } dp && rules?.CheckBounds(rows.FeatureNames, dp.LowerBounds ?? [], dp.UpperBounds ?? []) is { Count: > 0 } mismatch)
        {
            throw new ArgumentException($"rule privacy.bounds: {string.Join(" ", mismatch)}");
        }
        switch (spec.Model)
        {
            case SessionModel.Logistic:
                rows.RequireBinaryLabels();
                break;
            case SessionModel.Softmax or SessionModel.Mlp:
                rows.RequireClasses(program.Model.Classes);
                break;
        }
        var own = new PartyRows(spec.Parties[index], rows.Features, rows.Labels, rows.Columns);
        // Private statistics and the model are both DP releases of one session: its ε is spent once, at the first.
        bool spent = false;
        void SpendOnce()
        {
            if (!spent)
            {
                spending!();
                spent = true;
            }
        }
        ProgramResult result = spec.Mode == SessionMode.Federated
            ? RunFederated(mpc, plan, rows, program, recipients, epochDone, checkpoint, resume, released, own)
            : SecretProgram.Run(mpc, plan.Schemas.Select(s => s.Rows).ToArray(), rows.Columns, _ => own, program, recipients, epochDone,
            c => checkpoint(new CheckpointData(c.Epochs, Ring(c.WeightShares[0]), c.MaterialSequence, c.EpochLoss, c.Statistics)),
            resume is null ? null : new ProgramCheckpoint(resume.Epochs, new[] { Longs(resume.WeightShares) }, resume.MaterialSequence, resume.EpochLoss, resume.Statistics),
            r => released(new Release(Kind(r.Kind), r.Round, r.Elements, r.Recipients)),
            releasing: spec.Privacy is not null && spending is not null ? _ => SpendOnce() : null);
        var report = new SessionReport(Array.Empty<double>(), result.Means, result.StandardDeviations, rows.FeatureNames.ToArray(), result.Steps, result.Rounds,
            result.RoundsPerStep, result.BytesOpened, result.DealerBytes, result.Seconds, result.EpochLoss)
        {
            TrainAccuracy = result.Train.Accuracy,
            TrainMse = result.Train.MeanSquaredError,
            HeldOutAccuracy = result.HeldOut?.Accuracy,
            HeldOutMse = result.HeldOut?.MeanSquaredError,
            HeldOutRows = result.HeldOut?.Rows ?? 0,
            ParameterNames = result.Shapes.Select(s => s.Name).ToArray(),
            ParameterShapes = result.Shapes.Select(s => s.Shape).ToArray(),
        };
        return new PartyOutcome(result.WeightShares[0], result.Weights, report, result.DealerBytes);
    }

    /// <summary>
    /// A federated session at this party: local training on its own rows, and the dealer-free secure sum on its
    /// engine (<see cref="Learning.Federated.EngineUpdateSum"/>); a round's checkpoint holds the global model.
    /// </summary>
    private static ProgramResult RunFederated(MpcEngine mpc, SessionPlan plan, PartyDataset rows, ProgramSpec program, int[] recipients,
        Action<int, double>? roundDone, Action<CheckpointData> checkpoint, CheckpointData? resume, Action<Release> released, PartyRows own)
    {
        using var sum = new Learning.Federated.EngineUpdateSum(mpc);
        return Learning.Federated.FederatedProgram.Run(sum, plan.Schemas.Select(s => s.Rows).ToArray(), rows.Columns, _ => own, program, recipients, roundDone,
            c => checkpoint(new CheckpointData(c.Epochs, Ring(c.WeightShares[0]), c.MaterialSequence, c.EpochLoss)),
            resume is null ? null : new ProgramCheckpoint(resume.Epochs, new[] { Longs(resume.WeightShares) }, resume.MaterialSequence, resume.EpochLoss),
            r => released(new Release(Kind(r.Kind), r.Round, r.Elements, r.Recipients)));
    }

    /// <summary>
    /// A DP session's checks, before any row is shared: the mechanism's own (DP-SGD's bounds; output perturbation's
    /// model, λ and learning-rate cap), the public bounds cover every feature, and the program's σ spends no more than
    /// the section's ε (each party computes it alike).
    /// </summary>
    private static void RequirePrivacy(SessionSpec spec, ProgramSpec program, int features)
    {
        if (spec.Privacy is not { } privacy)
        {
            return;
        }
        IReadOnlyList<string> problems = program switch
        {
            { Privacy: { } dpSgd } => dpSgd.Validate(features, spec.Parties.Length),
            { Output: { } output } => output.Validate(program.Model.Kind, features, spec.Parties.Length, program.LearningRate, Learning.Privacy.SigmoidShape.Of(program.Sigmoid)),
            _ => [$"the {privacy.Mechanism} mechanism has no program on this silo."],
        };
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
        var spent = SessionSpecs.Guarantee(spec, program)!;
        if (spent.Epsilon > privacy.Epsilon * (1 + 1e-9))
        {
            throw new ArgumentException(
                $"privacy.noiseMultiplier {program.Privacy?.NoiseMultiplier ?? program.Output!.NoiseMultiplier} spends ε = {spent.Epsilon:G4}{(program.Privacy is null ? "" : $" over {program.Epochs} epochs")}, more than the session's ε = {privacy.Epsilon}.");
        }
    }

    /// <summary>A flattened share as the wire's ring tensor [n, 1].</summary>
    public static Interfaces.Wire.RingTensor Ring(long[] share) =>
        new(new long[] { share.Length, 1 }, System.Runtime.InteropServices.MemoryMarshal.AsBytes(share.AsSpan()).ToArray());

    private static long[] Longs(Interfaces.Wire.RingTensor ring) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(ring.Data).ToArray();

    private static ReleaseKind Kind(Disclosure disclosure) => disclosure switch
    {
        Disclosure.Statistics => ReleaseKind.Statistics,
        Disclosure.Loss => ReleaseKind.Loss,
        Disclosure.Evaluation => ReleaseKind.Evaluation,
        Disclosure.Update => ReleaseKind.Update,
        _ => ReleaseKind.Model,
    };
}
