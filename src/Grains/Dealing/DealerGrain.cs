using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Dealing;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Placement;
using SecureCompute.Grains.Wire;
using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Diagnostics;
using SecureCompute.Mpc.Randomness;

namespace SecureCompute.Grains.Dealing;

/// <summary>
/// The session's crypto provider: draws every party's material seed and sends it to that party's tensor grain, then
/// deals material in the session's order, answering party n−1 with its corrections. Never talks to the coordinator
/// about material.
/// </summary>
[DealerPlacement]
public sealed partial class DealerGrain(SiloIdentity silo, IGrainFactory grains, ILogger<DealerGrain> logger) : Grain, IDealerGrain
{
    private TrustedDealer? dealer;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (silo.Role != SiloRole.Dealer)
        {
            throw new InvalidOperationException($"The dealer of session '{this.GetPrimaryKeyString()}' reached a {silo}; placement refuses this.");
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task BeginAsync(SessionPlan plan)
    {
        if (dealer is not null)
        {
            throw new InvalidOperationException($"The dealer of session '{plan.Spec.Session}' has already begun.");
        }
        int parties = plan.Spec.Parties.Length;
        Seed[] seeds = plan.Spec.ReproducibleSeed is { } value ? ReproducibleSeeds.Material(value, parties) : TrustedDealer.NewPartySeeds(parties);
        dealer = new TrustedDealer(seeds);
        await Task.WhenAll(plan.Spec.Parties.Select((party, i) =>
            grains.GetGrain<ITensorGrain>(TensorKey.Of(plan.Spec.Session, party)).AcceptMaterialSeedAsync(seeds[i].Bytes.ToArray())));
        LogBegun(logger, plan.Spec.Session, parties);
    }

    /// <inheritdoc />
    public Task<MaterialCorrection> NextCorrectionAsync(MaterialOrder order)
    {
        TrustedDealer d = dealer ?? throw new InvalidOperationException($"The dealer of session '{this.GetPrimaryKeyString()}' has not begun.");
        if (order.Sequence != d.MaterialCount)
        {
            throw new InvalidOperationException($"Party n−1 asked for material {order.Sequence}; the dealer is at {d.MaterialCount}.");
        }
        MaterialRequest request = MessageConversion.FromWire(order);
        using DealerCorrection correction = d.Next(request);
        MpcDiagnostics.MaterialUsed.Add(1, new TagList { { MpcDiagnostics.SessionTag, this.GetPrimaryKeyString() }, { "mpc.material", request.Kind.ToString() } });
        return Task.FromResult(MessageConversion.ToWire(correction));
    }

    /// <inheritdoc />
    public Task<string?> GetHostRoleAsync() => Task.FromResult<string?>(silo.Role.ToString());

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        dealer?.Dispose();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dealer of session {Session} sent material seeds to {Parties} parties")]
    private static partial void LogBegun(ILogger logger, string session, int parties);
}
