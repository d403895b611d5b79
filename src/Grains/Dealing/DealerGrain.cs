using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Dealing;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Placement;
using SecureCompute.Grains.Storage;
using SecureCompute.Grains.Wire;
using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Diagnostics;
using SecureCompute.Mpc.Randomness;

namespace SecureCompute.Grains.Dealing;

/// <summary>
/// The session's crypto provider: draws every party's material seed and sends it to that party's party session grain, then
/// deals material in the session's order, answering party n−1 with its corrections. Never talks to the coordinator
/// about material.
/// </summary>

[DealerPlacement]
public sealed partial class DealerGrain(
    SiloIdentity silo,
    IGrainFactory grains,
    [PersistentState("dealer")] IPersistentState<SealedState> stored,
    Microsoft.Extensions.Options.IOptions<Sessions.SessionOptions> limits,
    ILogger<DealerGrain> logger) : Grain, IDealerGrain, Authorization.ISessionMembership
{
    private TrustedDealer? dealer;
    private string[]? parties;

    /// <inheritdoc />
    public IReadOnlyList<string>? SessionParties => parties;
    private long pieces;
    private bool discarded;

    /// <inheritdoc />
    /// <remarks>
    /// A dealer activated again (its silo restarted, or the cluster lost its directory entry when another silo died)
    /// restores the parties' seeds from its sealed state; dealing needs nothing else, since a piece depends only on
    /// (seed, sequence, request).
    /// </remarks>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (silo.Role != SiloRole.Dealer)
        {
            throw new InvalidOperationException($"The dealer of session '{this.GetPrimaryKeyString()}' reached a {silo}; placement refuses this.");
        }
        if (stored.State.Sealed is { } sealedBytes)
        {
            DealerSnapshot snapshot = System.Text.Json.JsonSerializer.Deserialize<DealerSnapshot>(silo.Sealer.Unseal(sealedBytes, this.GetPrimaryKeyString()))!;
            parties = snapshot.Parties;
            dealer = new TrustedDealer(snapshot.Seeds.Select(b => new Seed(b)).ToArray());
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task BeginAsync(SessionPlan plan)
    {
        if (plan.Spec.Session != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"A plan for session '{plan.Spec.Session}' reached the dealer of another session.", nameof(plan));
        }
        if (dealer is not null || discarded)
        {
            throw new InvalidOperationException($"The dealer of session '{plan.Spec.Session}' has already begun{(discarded ? ", and the session was cancelled" : "")}.");
        }
        if (plan.Spec.ReproducibleSeed is not null && !limits.Value.AllowReproducibleSeeds)
        {
            throw new ArgumentException($"the dealer refuses session '{plan.Spec.Session}': its silo does not allow reproducible seeds (--allow-reproducible-seeds, for tests and demos only).", nameof(plan));
        }
        int parties = plan.Spec.Parties.Length;
        this.parties = plan.Spec.Parties.ToArray();
        Seed[] seeds = plan.Spec.ReproducibleSeed is { } value ? ReproducibleSeeds.Material(value, parties) : TrustedDealer.NewPartySeeds(parties);
        dealer = new TrustedDealer(seeds);
        byte[] plain = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new DealerSnapshot(this.parties, seeds.Select(x => x.Bytes.ToArray()).ToArray()));
        stored.State.Sealed = silo.Sealer.Seal(plain, this.GetPrimaryKeyString());
        await stored.WriteStateAsync();
        await Task.WhenAll(plan.Spec.Parties.Select((party, i) =>
            grains.GetGrain<IPartySessionGrain>(PartySessionKey.Of(plan.Spec.Session, party)).AcceptMaterialSeedAsync(seeds[i].Bytes.ToArray())));
        LogBegun(logger, plan.Spec.Session, parties);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Party n−1 may ask for a guess of its next piece ahead of time; a piece depends only on (seed, sequence, request),
    /// and a wrong guess concerns masks nobody uses (<see cref="TrustedDealer.Deal"/>), so the dealer keeps no order.
    /// </remarks>
    public Task<MaterialCorrection> NextCorrectionAsync(MaterialOrder order)
    {
        TrustedDealer d = dealer ?? throw new InvalidOperationException(discarded
            ? $"The dealer of session '{this.GetPrimaryKeyString()}' deals no more: the session was cancelled."
            : $"The dealer of session '{this.GetPrimaryKeyString()}' has not begun.");
        if (order.Sequence < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order.Sequence, "Material sequence numbers start at 0.");
        }
        // Grain calls run on pool threads with no dispose scope of their own: without this one every tensor the deal
        // makes would wait for the finalizer, which then takes a core of its own.
        using var scope = TorchSharp.torch.NewDisposeScope();
        MaterialRequest request = MessageConversion.FromWire(order);
        using DealerCorrection correction = d.Deal(order.Sequence, request);
        pieces++;
        MpcDiagnostics.MaterialUsed.Add(1, new TagList { { MpcDiagnostics.SessionTag, this.GetPrimaryKeyString() }, { "mpc.material", request.Kind.ToString() } });
        return Task.FromResult(MessageConversion.ToWire(correction));
    }

    /// <inheritdoc />
    /// <remarks>The parties stay (public), so that party n−1's late requests are answered by this grain rather than refused at the boundary.</remarks>
    public async Task DiscardAsync()
    {
        discarded = true;
        dealer?.Dispose();
        dealer = null;
        await stored.ClearStateAsync();
        LogDiscarded(logger, this.GetPrimaryKeyString());
    }

    /// <inheritdoc />
    public Task<string?> GetHostRoleAsync() => Task.FromResult<string?>(silo.Role.ToString());

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        LogClosed(logger, this.GetPrimaryKeyString(), pieces);
        dealer?.Dispose();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dealer of session {Session} closed after dealing {Pieces} pieces (guesses included)")]
    private static partial void LogClosed(ILogger logger, string session, long pieces);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dealer of session {Session} discarded its material seeds")]
    private static partial void LogDiscarded(ILogger logger, string session);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dealer of session {Session} sent material seeds to {Parties} parties")]
    private static partial void LogBegun(ILogger logger, string session, int parties);
}

/// <summary>What a dealer keeps (sealed): the session's parties and their material seeds.</summary>
/// <param name="Parties">The session's parties, in order.</param>
/// <param name="Seeds">Each party's material seed.</param>
internal sealed record DealerSnapshot(string[] Parties, byte[][] Seeds);
