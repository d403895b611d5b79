using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;
using SecureCompute.Grains.Training;
using SecureCompute.Mpc.Diagnostics;
using SecureCompute.Mpc.Encoding;
using SecureCompute.Mpc.Randomness;
using SecureCompute.Mpc.Engine;

namespace SecureCompute.Grains.PartySessions;

/// <summary>
/// Runs one party's side of a session on a dedicated thread: the same training program every party runs, holding
/// only this party's shares, opening through the coordinator and (party n−1) taking corrections from the dealer.
/// </summary>
/// <remarks>
/// Steps:
/// 1. Take this party's rows for the session on this silo (<see cref="SessionRows.For"/>: the rows its party grain announced); they never leave it.
/// 2. Build the party's engine from its seeds (<see cref="MpcEngine.ForParty"/>).
/// 3. Run the session's program (<see cref="Training.ProgramRunner"/>); party 0 reports each released epoch loss.
/// 4. Tell the coordinator it finished (party 0 with the report), or that it failed and why (no value in the message).
/// </remarks>
internal static class PartyWorker
{
    /// <summary>Starts party <paramref name="index"/>'s program; the thread inherits the caller's trace context.</summary>
    public static Thread Start(SessionPlan plan, int index, int attempt, Seed materialSeed, Seed?[] pairwise, CheckpointData? resume, SessionRows sessionRows,
        IGrainFactory grains, OwnGrain own, TimeSpan dealerLossGrace, ILogger logger)
    {
        var thread = new Thread(() =>
        {
            try
            {
                Run(plan, index, attempt, materialSeed, pairwise, resume, sessionRows, grains, own, dealerLossGrace, logger);
            }
            finally
            {
                own.Ended();
            }
        })
        {
            IsBackground = true,
            Name = $"SecureCompute party {index}",
        };
        thread.Start();
        return thread;
    }

    private static void Run(SessionPlan plan, int index, int attempt, Seed materialSeed, Seed?[] pairwise, CheckpointData? resume, SessionRows sessionRows,
        IGrainFactory grains, OwnGrain own, TimeSpan dealerLossGrace, ILogger logger)
    {
        string session = plan.Spec.Session;
        string party = plan.Spec.Parties[index];
        int parties = plan.Spec.Parties.Length;
        var coordinator = grains.GetGrain<ITrainingSessionGrain>(session);
        using Activity? span = MpcDiagnostics.ActivitySource.StartActivity(MpcDiagnostics.PartySpan);
        span?.SetTag(MpcDiagnostics.SessionTag, session);
        span?.SetTag(MpcDiagnostics.PartyTag, index);
        try
        {
            PartyDataset rows = sessionRows.For(plan.Spec);
            var format = new FixedPointFormat(plan.Spec.FractionalBits);
            var opens = new GrainOpenChannel(coordinator, index, attempt, TorchSharp.torch.CPU);
            IMaterialSource? corrections = index == parties - 1 ? new GrainCorrectionChannel(grains.GetGrain<IDealerGrain>(session), dealerLossGrace) : null;
            using var mpc = MpcEngine.ForParty(session, index, parties, materialSeed, new PairwiseSeeds(index, pairwise), opens, corrections, format);
            Action<int, double>? epochDone = index == 0 ? (epoch, loss) => WorkerWait.Call(() => coordinator.EpochDoneAsync(attempt, epoch, loss)) : null;
            void Checkpoint(CheckpointData c) => own.SaveCheckpoint(c);
            var audit = new AuditQueue(grains.GetGrain<IAuditLogGrain>(party));
            audit.Append(new AuditRecord(AuditEventKind.RowsRead, session, new[]
            {
                KeyValuePair.Create("rows", rows.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                KeyValuePair.Create("columns", rows.Columns.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                KeyValuePair.Create("attempt", attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            }));
            void Released(Release release) => audit.Append(new AuditRecord(AuditEventKind.Release, session, new[]
            {
                KeyValuePair.Create("kind", release.Kind.ToString()),
                KeyValuePair.Create("round", release.Round.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                KeyValuePair.Create("elements", release.Elements.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                KeyValuePair.Create("recipients", string.Join(",", release.Recipients.Select(r => plan.Spec.Parties[r]))),
            }));
            // A DP session's release spends the reservation in this party's own ledger first; if the ledger refuses
            // (nothing reserved, or given back), the party stops before its share of the model leaves it.
            var budget = grains.GetGrain<Interfaces.Privacy.IPrivacyBudgetGrain>(party);
            void Spend() => WorkerWait.Call(() => budget.SpendAsync(session));
            PartyOutcome outcome = ProgramRunner.Run(mpc, plan, index, rows, epochDone, Checkpoint, resume, Released, Spend, sessionRows.Privacy);
            if (plan.Spec.Privacy is not null && SessionRecipients.Parties(plan.Spec).Length == 0)
            {
                // No party received the model: a client recipient fetches this party's share of it (a release too,
                // so spent before the share is kept for it).
                Spend();
            }
            var share = new SessionResult(session, party, null, ProgramRunner.Ring(outcome.Share), plan.Spec.FractionalBits);
            SessionResult? model = outcome.Weights.Length > 0 ? new SessionResult(session, party, outcome.Weights, null, plan.Spec.FractionalBits) : null;
            audit.Drain();
            own.KeepResult(share, model);
            sessionRows.Forget(session);
            WorkerWait.Call(() => coordinator.PartyFinishedAsync(index, attempt, index == 0 ? outcome.Report with
            {
                Recipients = SessionRecipients.Of(plan.Spec).ToArray(),
            } : null, outcome.DealerBytes));
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            logger.LogWarning("Party {Party} stopped in session {Session}: {Error}", party, session, e.Message);
            try
            {
                WorkerWait.Call(() => coordinator.PartyFailedAsync(index, attempt, $"party '{party}': {e.Message}"));
            }
            catch (Exception report)
            {
                logger.LogError("Party {Party} could not report its failure in session {Session}: {Error}", party, session, report.Message);
            }
        }
    }
}
