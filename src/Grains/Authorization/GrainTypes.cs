using Orleans.Runtime;
using SecureCompute.Grains.Interfaces;

namespace SecureCompute.Grains.Authorization;

/// <summary>The Orleans grain types of SecureCompute's grains, as they appear in a call's source id.</summary>
public sealed class GrainTypes(IGrainFactory grains)
{
    private readonly Lazy<GrainType> coordinator = new(() => grains.GetGrain<ITrainingSessionGrain>("t").GetGrainId().Type);
    private readonly Lazy<GrainType> partySession = new(() => grains.GetGrain<IPartySessionGrain>("t/t").GetGrainId().Type);
    private readonly Lazy<GrainType> dealer = new(() => grains.GetGrain<IDealerGrain>("t").GetGrainId().Type);
    private readonly Lazy<GrainType> party = new(() => grains.GetGrain<IPartyGrain>("t").GetGrainId().Type);
    private readonly Lazy<GrainType> budget = new(() => grains.GetGrain<Interfaces.Privacy.IPrivacyBudgetGrain>("t").GetGrainId().Type);

    /// <summary>The coordinator's type.</summary>
    public GrainType Coordinator => coordinator.Value;

    /// <summary>The party session grain's type.</summary>
    public GrainType PartySession => partySession.Value;

    /// <summary>The dealer grain's type.</summary>
    public GrainType Dealer => dealer.Value;

    /// <summary>The party grain's type.</summary>
    public GrainType Party => party.Value;

    /// <summary>The privacy budget grain's type.</summary>
    public GrainType Budget => budget.Value;

    /// <summary>A grain type in words.</summary>
    public string Name(GrainType type) =>
        type.Equals(Coordinator) ? "coordinator" : type.Equals(PartySession) ? "party session" : type.Equals(Dealer) ? "dealer" : type.Equals(Party) ? "party" : type.Equals(Budget) ? "privacy budget" : type.ToString()!;
}
