using Microsoft.Extensions.Logging;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Placement;
using SecureCompute.Grains.Storage;
using SecureCompute.Mpc.Randomness;

namespace SecureCompute.Grains.PartySessions;

/// <summary>
/// A party's shares for one session. It collects the session's seeds — its material seed from the dealer, a pairwise
/// seed from or to every other party — and then runs the training program for its party on a worker thread
/// (<see cref="PartyWorker"/>), where every share stays. Plan, seeds and the last two epoch checkpoints are kept in
/// the party's own storage, sealed with the party's key, so that the party can resume after its silo was lost.
/// A cancelled session's party session grain drops all of it (<see cref="DiscardAsync"/>) and takes nothing more.
/// </summary>
[PartyPlacement]
public sealed partial class PartySessionGrain(
    SiloIdentity silo,
    Data.SessionRows sessionRows,
    IGrainFactory grains,
    [PersistentState("party-session")] IPersistentState<SealedState> stored,
    Microsoft.Extensions.Options.IOptions<Sessions.SessionOptions> limits,
    ILogger<PartySessionGrain> logger) : Grain, IPartySessionGrain, Authorization.ISeedHolder
{
    /// <summary>Checkpoints kept: the newest and the one before (a crash may leave parties one epoch apart).</summary>
    public const int KeptCheckpoints = 2;

    private SessionPlan? plan;
    private int index;
    private Seed? materialSeed;
    private Seed?[] pairwise = Array.Empty<Seed?>();
    private List<CheckpointData> checkpoints = new();
    private Thread? worker;
    private int attempt;
    private SessionResult? share;
    private SessionResult? model;
    private bool discarded;

    private string Party => PartySessionKey.PartyOf(this.GetPrimaryKeyString());

    /// <inheritdoc />
    public IReadOnlyList<string>? SessionParties => plan?.Spec.Parties;

    /// <inheritdoc />
    public bool HasMaterialSeed => materialSeed is not null;

    /// <inheritdoc />
    public bool HasPairwiseSeed(int party) => party >= 0 && party < pairwise.Length && pairwise[party] is not null;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        silo.RequireParty(Party);
        if (stored.State.Sealed is { } sealedBytes)
        {
            PartySessionSnapshot snapshot = PartySessionSnapshot.FromBytes(silo.Sealer.Unseal(sealedBytes, this.GetPrimaryKeyString()));
            plan = snapshot.Plan;
            index = snapshot.Index;
            materialSeed = new Seed(snapshot.MaterialSeed);
            pairwise = snapshot.PairwiseSeeds.Select(b => b.Length == 0 ? null : new Seed(b)).ToArray();
            checkpoints = snapshot.Checkpoints.ToList();
            share = snapshot.Share;
            model = snapshot.Model;
            LogRestored(logger, Party, plan.Spec.Session, checkpoints.Count == 0 ? 0 : checkpoints[^1].Epochs);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PrepareAsync(SessionPlan plan)
    {
        RequireNotDiscarded();
        if (this.plan is not null)
        {
            throw new InvalidOperationException($"Party '{Party}' is already prepared for session '{plan.Spec.Session}'.");
        }
        if (plan.Spec.Session != PartySessionKey.SessionOf(this.GetPrimaryKeyString()))
        {
            throw new ArgumentException($"A plan for session '{plan.Spec.Session}' reached the party session grain of another session.", nameof(plan));
        }
        if (plan.Schemas.Length != plan.Spec.Parties.Length)
        {
            throw new ArgumentException($"A plan for session '{plan.Spec.Session}' carries {plan.Schemas.Length} schemas for {plan.Spec.Parties.Length} parties.", nameof(plan));
        }
        if (plan.Spec.ReproducibleSeed is not null && !limits.Value.AllowReproducibleSeeds)
        {
            throw new ArgumentException($"party '{Party}' refuses session '{plan.Spec.Session}': its silo does not allow reproducible seeds (--allow-reproducible-seeds, for tests and demos only).", nameof(plan));
        }
        index = plan.IndexOf(Party);
        this.plan = plan;
        int parties = plan.Spec.Parties.Length;
        pairwise = plan.Spec.ReproducibleSeed is { } value ? ReproducibleSeeds.Pairwise(value, parties, index) : new Seed?[parties];
        LogPrepared(logger, Party, plan.Spec.Session, index, parties);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AcceptMaterialSeedAsync(byte[] seed)
    {
        RequireNotDiscarded();
        RequirePlan();
        RequireSeedLength(seed);
        if (materialSeed is not null)
        {
            throw new InvalidOperationException($"Party '{Party}' already holds its material seed; a session has one.");
        }
        materialSeed = new Seed(seed);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AcceptPairwiseSeedAsync(int fromParty, byte[] seed)
    {
        RequireNotDiscarded();
        SessionPlan p = RequirePlan();
        if (fromParty < 0 || fromParty >= index || p.Spec.ReproducibleSeed is not null)
        {
            throw new ArgumentOutOfRangeException(nameof(fromParty), fromParty, $"Party {index} takes pairwise seeds only from parties 0..{index - 1}, and none in a reproducible session.");
        }
        RequireSeedLength(seed);
        if (pairwise[fromParty] is not null)
        {
            throw new InvalidOperationException($"Party '{Party}' already holds its pairwise seed with party {fromParty}.");
        }
        pairwise[fromParty] = new Seed(seed);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task SendPairwiseSeedsAsync()
    {
        RequireNotDiscarded();
        SessionPlan p = RequirePlan();
        if (p.Spec.ReproducibleSeed is not null)
        {
            return;
        }
        var sends = new List<Task>();
        for (int j = index + 1; j < p.Spec.Parties.Length; j++)
        {
            Seed seed = Seed.Random();
            pairwise[j] = seed;
            sends.Add(grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of(p.Spec.Session, p.Spec.Parties[j])).AcceptPairwiseSeedAsync(index, seed.Bytes.ToArray()));
        }
        await Task.WhenAll(sends);
    }

    /// <inheritdoc />
    public async Task StartAsync()
    {
        RequireNotDiscarded();
        SessionPlan p = RequirePlan();
        if (worker is not null)
        {
            throw new InvalidOperationException($"Party '{Party}' has already started session '{p.Spec.Session}'.");
        }
        RequireSeeds();
        await PersistAsync();
        StartWorker(0, null);
    }

    /// <inheritdoc />
    public async Task SaveCheckpointAsync(int attempt, CheckpointData checkpoint)
    {
        SessionPlan p = RequirePlan();
        if (checkpoint.Epochs < 1 || checkpoint.Epochs > p.Spec.Epochs || checkpoint.MaterialSequence < 0 || checkpoint.WeightShares is null)
        {
            throw new ArgumentException($"Party '{Party}': a checkpoint must follow epoch 1..{p.Spec.Epochs} with a material sequence ≥ 0 and weight shares.", nameof(checkpoint));
        }
        if (attempt != this.attempt || discarded)
        {
            return;   // a superseded attempt's late checkpoint, or a cancelled session's
        }
        checkpoints.RemoveAll(c => c.Epochs >= checkpoint.Epochs);
        checkpoints.Add(checkpoint);
        if (checkpoints.Count > KeptCheckpoints)
        {
            checkpoints.RemoveRange(0, checkpoints.Count - KeptCheckpoints);
        }
        await PersistAsync();
    }

    /// <inheritdoc />
    public Task<int[]> GetCheckpointEpochsAsync() => Task.FromResult(checkpoints.Select(c => c.Epochs).ToArray());

    /// <inheritdoc />
    public async Task ResumeAsync(int attempt, int epochs)
    {
        RequireNotDiscarded();
        SessionPlan p = RequirePlan();
        RequireSeeds();
        if (attempt <= this.attempt || epochs < 0 || epochs > p.Spec.Epochs)
        {
            throw new ArgumentOutOfRangeException(nameof(attempt), $"Party '{Party}' is at attempt {this.attempt}: a resume needs a later attempt and an epoch in 0..{p.Spec.Epochs}.");
        }
        CheckpointData? from = epochs == 0 ? null : checkpoints.FirstOrDefault(c => c.Epochs == epochs)
            ?? throw new InvalidOperationException($"Party '{Party}' holds no checkpoint after epoch {epochs} of session '{p.Spec.Session}'.");
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (worker is { IsAlive: true })
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Party '{Party}''s previous attempt did not stop within 30 s.");
            }
            await Task.Delay(20);
        }
        LogResumed(logger, Party, p.Spec.Session, attempt, epochs);
        StartWorker(attempt, from);
    }

    /// <inheritdoc />
    public async Task KeepResultAsync(int attempt, SessionResult share, SessionResult? model)
    {
        SessionPlan p = RequirePlan();
        if (attempt != this.attempt || discarded)
        {
            return;   // a superseded attempt's late result, or a cancelled session's
        }
        if (share.Session != p.Spec.Session || share.Party != Party || share.Share is null || model is { Weights: null }
            || model is not null && (model.Session != p.Spec.Session || model.Party != Party))
        {
            throw new ArgumentException($"Party '{Party}': a result must be this party's share (and model) of session '{p.Spec.Session}'.", nameof(share));
        }
        this.share = share;
        this.model = model;
        await PersistAsync();
    }

    /// <inheritdoc />
    public Task<(SessionSpec Spec, SessionResult? Model, SessionResult? Share)> GetResultAsync() =>
        Task.FromResult((RequirePlan().Spec, model, share));

    /// <inheritdoc />
    /// <remarks>
    /// Does not wait for the worker: it may itself be waiting on this grain (a checkpoint), and it stops at its next open
    /// anyway. What it still sends is dropped here (<see cref="discarded"/>). The plan is public and stays, so that a late
    /// call is answered by this grain rather than refused at the boundary.
    /// </remarks>
    public async Task DiscardAsync()
    {
        discarded = true;
        materialSeed = null;
        pairwise = new Seed?[pairwise.Length];
        checkpoints.Clear();
        share = null;
        model = null;
        sessionRows.Forget(PartySessionKey.SessionOf(this.GetPrimaryKeyString()));
        await stored.ClearStateAsync();
        LogDiscarded(logger, Party, PartySessionKey.SessionOf(this.GetPrimaryKeyString()));
    }

    /// <inheritdoc />
    public Task<string?> GetHostPartyAsync() => Task.FromResult(silo.Party);

    private void StartWorker(int attempt, CheckpointData? from)
    {
        this.attempt = attempt;
        // The worker reaches this grain through its scheduler (OwnGrain), not by calls: keep the activation while it runs.
        DelayDeactivation(TimeSpan.MaxValue);
        var own = new OwnGrain(TaskScheduler.Current, c => SaveCheckpointAsync(attempt, c), (share, model) => KeepResultAsync(attempt, share, model), () =>
        {
            if (attempt == this.attempt)
            {
                DelayDeactivation(TimeSpan.Zero);
            }
        });
        worker = PartyWorker.Start(plan!, index, attempt, materialSeed!, pairwise, from, sessionRows, grains, own, limits.Value.PartyLossGrace, logger);
    }

    private async Task PersistAsync()
    {
        var snapshot = new PartySessionSnapshot(plan!, index, materialSeed!.Bytes.ToArray(), pairwise.Select(s => s?.Bytes.ToArray() ?? Array.Empty<byte>()).ToArray(),
            checkpoints.ToArray(), share, model);
        stored.State.Sealed = silo.Sealer.Seal(snapshot.ToBytes(), this.GetPrimaryKeyString());
        await stored.WriteStateAsync();
    }

    private void RequireSeeds()
    {
        if (materialSeed is null)
        {
            throw new InvalidOperationException($"Party '{Party}' has no material seed from the dealer yet.");
        }
        int missing = Enumerable.Range(0, pairwise.Length).FirstOrDefault(j => j != index && pairwise[j] is null, -1);
        if (missing >= 0)
        {
            throw new InvalidOperationException($"Party '{Party}' lacks its pairwise seed with party {missing}.");
        }
    }

    private static void RequireSeedLength(byte[] seed)
    {
        if (seed.Length != Seed.Length)
        {
            throw new ArgumentException($"A seed has {Seed.Length} bytes, not {seed.Length}.", nameof(seed));
        }
    }

    private void RequireNotDiscarded()
    {
        if (discarded)
        {
            throw new InvalidOperationException($"Party '{Party}' discarded session '{PartySessionKey.SessionOf(this.GetPrimaryKeyString())}': it was cancelled.");
        }
    }

    private SessionPlan RequirePlan() =>
        plan ?? throw new InvalidOperationException($"Party '{Party}' has not been prepared for this session.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} prepared for session {Session} as party {Index} of {Parties}")]
    private static partial void LogPrepared(ILogger logger, string party, string session, int index, int parties);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} restored session {Session} from storage (last checkpoint after epoch {Epochs})")]
    private static partial void LogRestored(ILogger logger, string party, string session, int epochs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} discarded its seeds, checkpoints and result of session {Session}")]
    private static partial void LogDiscarded(ILogger logger, string party, string session);

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} resumes session {Session} as attempt {Attempt} after epoch {Epochs}")]
    private static partial void LogResumed(ILogger logger, string party, string session, int attempt, int epochs);
}
