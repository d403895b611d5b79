using Microsoft.Extensions.Logging;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Placement;
using SecureCompute.Mpc.Randomness;

namespace SecureCompute.Grains.Tensors;

/// <summary>
/// A party's shares for one session. It collects the session's seeds — its material seed from the dealer, a pairwise
/// seed from or to every other party — and then runs the training program for its party on a worker thread
/// (<see cref="PartyWorker"/>), where every share stays.
/// </summary>
[PartyPlacement]
public sealed partial class TensorGrain(SiloIdentity silo, IGrainFactory grains, ILogger<TensorGrain> logger) : Grain, ITensorGrain
{
    private SessionPlan? plan;
    private int index;
    private Seed? materialSeed;
    private Seed?[] pairwise = Array.Empty<Seed?>();
    private bool started;

    private string Party => TensorKey.PartyOf(this.GetPrimaryKeyString());

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        silo.RequireParty(Party);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PrepareAsync(SessionPlan plan)
    {
        if (this.plan is not null)
        {
            throw new InvalidOperationException($"Party '{Party}' is already prepared for session '{plan.Spec.Session}'.");
        }
        if (plan.Spec.Session != TensorKey.SessionOf(this.GetPrimaryKeyString()))
        {
            throw new ArgumentException($"A plan for session '{plan.Spec.Session}' reached the tensor grain of another session.", nameof(plan));
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
        RequirePlan();
        materialSeed = new Seed(seed);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AcceptPairwiseSeedAsync(int fromParty, byte[] seed)
    {
        SessionPlan p = RequirePlan();
        if (fromParty < 0 || fromParty >= index || p.Spec.ReproducibleSeed is not null)
        {
            throw new ArgumentOutOfRangeException(nameof(fromParty), fromParty, $"Party {index} takes pairwise seeds only from parties 0..{index - 1}, and none in a reproducible session.");
        }
        pairwise[fromParty] = new Seed(seed);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task SendPairwiseSeedsAsync()
    {
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
            sends.Add(grains.GetGrain<ITensorGrain>(TensorKey.Of(p.Spec.Session, p.Spec.Parties[j])).AcceptPairwiseSeedAsync(index, seed.Bytes.ToArray()));
        }
        await Task.WhenAll(sends);
    }

    /// <inheritdoc />
    public Task StartAsync()
    {
        SessionPlan p = RequirePlan();
        if (started)
        {
            throw new InvalidOperationException($"Party '{Party}' has already started session '{p.Spec.Session}'.");
        }
        Seed material = materialSeed ?? throw new InvalidOperationException($"Party '{Party}' has no material seed from the dealer yet.");
        int missing = Enumerable.Range(0, pairwise.Length).FirstOrDefault(j => j != index && pairwise[j] is null, -1);
        if (missing >= 0)
        {
            throw new InvalidOperationException($"Party '{Party}' lacks its pairwise seed with party {missing}.");
        }
        PartyWorker.Start(p, index, material, pairwise, silo, grains, logger);
        started = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string?> GetHostPartyAsync() => Task.FromResult(silo.Party);

    private SessionPlan RequirePlan() =>
        plan ?? throw new InvalidOperationException($"Party '{Party}' has not been prepared for this session.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Party {Party} prepared for session {Session} as party {Index} of {Parties}")]
    private static partial void LogPrepared(ILogger logger, string party, string session, int index, int parties);
}
