using Orleans.Runtime;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Placement;

namespace SecureCompute.Grains.Authorization;

/// <summary>The facts one rule decides on: the call's source (from Orleans), the target grain, and the arguments.</summary>
/// <remarks>Arguments say which party a call concerns; they are checked against who is calling, never taken as identity.</remarks>
public sealed class CallCheck(CallSource source, IIncomingGrainCallContext context, GrainTypes types, PartyDirectory directory, SiloAddress localSilo)
{
    /// <summary>Who is calling.</summary>
    public CallSource Source => source;

    /// <summary>The target grain's key.</summary>
    public string TargetKey => context.TargetId.Key.ToString()!;

    /// <summary>The target grain instance.</summary>
    public object Target => context.Grain;

    /// <summary>Argument <paramref name="index"/> of the call, if it is a <typeparamref name="T"/>.</summary>
    public T? Argument<T>(int index) => index < context.Request.GetArgumentCount() && context.Request.GetArgument(index) is T value ? value : default;

    /// <summary>The session parties the target grain knows, or null.</summary>
    public IReadOnlyList<string>? Parties => (context.Grain as ISessionMembership)?.SessionParties;

    /// <summary>The party at <paramref name="index"/> of the target's session, or null when there is none.</summary>
    public string? PartyAt(int index) => Parties is { } parties && index >= 0 && index < parties.Count ? parties[index] : null;

    /// <summary>Whether the caller is the coordinator grain of <paramref name="session"/>.</summary>
    public bool IsCoordinatorOf(string session) => IsGrain(types.Coordinator, session);

    /// <summary>Whether the caller is any session's coordinator grain.</summary>
    public bool IsAnyCoordinator => source.Grain is { } g && g.Type.Equals(types.Coordinator);

    /// <summary>Whether the caller is the dealer grain of <paramref name="session"/>.</summary>
    public bool IsDealerOf(string session) => IsGrain(types.Dealer, session);

    /// <summary>Whether the caller is <paramref name="party"/>'s party session grain in <paramref name="session"/>.</summary>
    public bool IsPartySessionOf(string session, string? party) => party is not null && IsGrain(types.PartySession, PartySessionKey.Of(session, party));

    /// <summary>Whether the caller is a party session grain of <paramref name="party"/> in any session.</summary>
    public bool IsAnyPartySessionOf(string party) => source.Grain is { } g && g.Type.Equals(types.PartySession) && PartySessionKey.PartyOf(g.Key.ToString()!) == party;

    /// <summary>Whether the caller is <paramref name="party"/>'s party grain.</summary>
    public bool IsPartyGrainOf(string party) => IsGrain(types.Party, party);

    /// <summary>Whether the caller is the privacy budget grain of <paramref name="party"/>.</summary>
    public bool IsBudgetGrainOf(string party) => IsGrain(types.Budget, party);

    /// <summary>Whether the caller is code on this very silo, outside a grain (e.g. a party's worker thread).</summary>
    public bool IsLocalSilo => source.Kind == CallSourceKind.Silo && source.Silo!.Equals(localSilo);

    /// <summary>Whether the caller is code on a silo (outside a grain) or a grain: anything inside the cluster.</summary>
    public bool IsInsideCluster => source.Kind != CallSourceKind.Client;

    /// <summary>Whether the caller is code on a silo that proved it serves <paramref name="party"/> (outside a grain: a party's worker).</summary>
    public async ValueTask<bool> IsSiloOfAsync(string? party) =>
        party is not null && source.Kind == CallSourceKind.Silo && await directory.ServesAsync(source.Silo!, party);

    private bool IsGrain(Orleans.Runtime.GrainType type, string key) =>
        source.Grain is { } g && g.Type.Equals(type) && g.Key.ToString() == key;
}
