using System.Reflection;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Privacy;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Authorization;

/// <summary>
/// Who may call each method of SecureCompute's grain interfaces (DESIGN §11): clients reach only the public session
/// API; every other method only the silo role the protocol names. A method of ours without a rule here is refused to
/// everyone, so a method added later is closed until someone decides who may call it.
/// </summary>
public static class ProtocolRules
{
    /// <summary>The rule of every method of our grain interfaces that has one.</summary>
    public static IReadOnlyDictionary<MethodInfo, CallRule> All { get; } = Build();

    /// <summary>The assembly whose grain interfaces the rules cover.</summary>
    public static Assembly Interfaces { get; } = typeof(IPartySessionGrain).Assembly;

    private static Dictionary<MethodInfo, CallRule> Build()
    {
        var rules = new Dictionary<MethodInfo, CallRule>();
        void Add<T>(string method, CallRule rule) =>
            rules.Add(typeof(T).GetMethod(method) ?? throw new InvalidOperationException($"{typeof(T).Name} has no method {method}."), rule);

        // The coordinator (key: session).
        Add<ITrainingSessionGrain>(nameof(ITrainingSessionGrain.StartAsync), CallRule.Open("start a session; each party's policy decides"));
        Add<ITrainingSessionGrain>(nameof(ITrainingSessionGrain.GetProgressAsync), CallRule.Open("observe a session"));
        Add<ITrainingSessionGrain>(nameof(ITrainingSessionGrain.GetHostPartyAsync), CallRule.Open("placement, public"));
        Add<ITrainingSessionGrain>(nameof(ITrainingSessionGrain.CancelAsync), CallRule.Open("cancel a session; its starter or its parties' operators"));
        Add<ITrainingSessionGrain>(nameof(ITrainingSessionGrain.SubscribeAsync), CallRule.Open("follow a session; what is sent is filtered by the credential"));
        Add<ITrainingSessionGrain>(nameof(ITrainingSessionGrain.UnsubscribeAsync), CallRule.Open("stop following a session"));
        Add<ITrainingSessionGrain>(nameof(ITrainingSessionGrain.PartyDecidedAsync), CallRule.When("the party grain of the party the call names",
            c => c.Argument<string>(0) is { } party && c.Parties?.Contains(party) == true && c.IsPartyGrainOf(party)));
        Add<ITrainingSessionGrain>(nameof(ITrainingSessionGrain.OpenAsync), new CallRule("the silo of the party the call names",
            c => c.IsSiloOfAsync(c.PartyAt(c.Argument<int>(0)))));
        Add<ITrainingSessionGrain>(nameof(ITrainingSessionGrain.EpochDoneAsync), new CallRule("the silo of the session's party 0",
            c => c.IsSiloOfAsync(c.PartyAt(0))));
        Add<ITrainingSessionGrain>(nameof(ITrainingSessionGrain.PartyFinishedAsync), new CallRule("the silo of the party the call names",
            c => c.IsSiloOfAsync(c.PartyAt(c.Argument<int>(0)))));
        Add<ITrainingSessionGrain>(nameof(ITrainingSessionGrain.PartyFailedAsync), new CallRule("the silo of the party the call names",
            c => c.IsSiloOfAsync(c.PartyAt(c.Argument<int>(0)))));

        // A client's session observer (an object the client hosts; a silo hosts it when the client is code on that silo).
        Add<ISessionObserver>(nameof(ISessionObserver.Progressed), CallRule.When("a session's coordinator", c => c.IsAnyCoordinator));

        // A party's party session grain (key: session/party).
        const string coordinator = "the session's coordinator";
        Add<IPartySessionGrain>(nameof(IPartySessionGrain.PrepareAsync), CallRule.When(coordinator, c => c.IsCoordinatorOf(PartySessionKey.SessionOf(c.TargetKey))));
        Add<IPartySessionGrain>(nameof(IPartySessionGrain.SendPairwiseSeedsAsync), CallRule.When(coordinator, c => c.IsCoordinatorOf(PartySessionKey.SessionOf(c.TargetKey))));
        Add<IPartySessionGrain>(nameof(IPartySessionGrain.StartAsync), CallRule.When(coordinator, c => c.IsCoordinatorOf(PartySessionKey.SessionOf(c.TargetKey))));
        Add<IPartySessionGrain>(nameof(IPartySessionGrain.GetCheckpointEpochsAsync), CallRule.When(coordinator, c => c.IsCoordinatorOf(PartySessionKey.SessionOf(c.TargetKey))));
        Add<IPartySessionGrain>(nameof(IPartySessionGrain.ResumeAsync), CallRule.When(coordinator, c => c.IsCoordinatorOf(PartySessionKey.SessionOf(c.TargetKey))));
        Add<IPartySessionGrain>(nameof(IPartySessionGrain.DiscardAsync), CallRule.When(coordinator, c => c.IsCoordinatorOf(PartySessionKey.SessionOf(c.TargetKey))));
        Add<IPartySessionGrain>(nameof(IPartySessionGrain.AcceptMaterialSeedAsync), CallRule.When("the session's dealer, once",
            c => c.IsDealerOf(PartySessionKey.SessionOf(c.TargetKey)) && c.Target is ISeedHolder { HasMaterialSeed: false }));
        Add<IPartySessionGrain>(nameof(IPartySessionGrain.AcceptPairwiseSeedAsync), CallRule.When("the party session grain of the party the call names, once",
            c => c.IsPartySessionOf(PartySessionKey.SessionOf(c.TargetKey), c.PartyAt(c.Argument<int>(0)))
                && c.Target is ISeedHolder holder && !holder.HasPairwiseSeed(c.Argument<int>(0))));
        Add<IPartySessionGrain>(nameof(IPartySessionGrain.SaveCheckpointAsync), CallRule.When("the party's own silo", c => c.IsLocalSilo));
        Add<IPartySessionGrain>(nameof(IPartySessionGrain.KeepResultAsync), CallRule.When("the party's own silo", c => c.IsLocalSilo));
        Add<IPartySessionGrain>(nameof(IPartySessionGrain.GetResultAsync), CallRule.When("the party's own party grain", c => c.IsPartyGrainOf(PartySessionKey.PartyOf(c.TargetKey))));
        Add<IPartySessionGrain>(nameof(IPartySessionGrain.GetHostPartyAsync), CallRule.Open("placement, public"));

        // The dealer (key: session).
        Add<IDealerGrain>(nameof(IDealerGrain.BeginAsync), CallRule.When(coordinator, c => c.IsCoordinatorOf(c.TargetKey)));
        Add<IDealerGrain>(nameof(IDealerGrain.DiscardAsync), CallRule.When(coordinator, c => c.IsCoordinatorOf(c.TargetKey)));
        Add<IDealerGrain>(nameof(IDealerGrain.NextCorrectionAsync), new CallRule("the silo of the session's last party",
            c => c.IsSiloOfAsync(c.Parties is { Count: > 0 } p ? p[^1] : null)));
        Add<IDealerGrain>(nameof(IDealerGrain.GetHostRoleAsync), CallRule.Open("placement, public"));

        // A data owner (key: party).
        Add<IPartyGrain>(nameof(IPartyGrain.AdmitAsync), CallRule.When("a session's coordinator", c => c.IsCoordinatorOf(c.Argument<Interfaces.Sessions.SessionSpec>(0)?.Session ?? "")));
        Add<IPartyGrain>(nameof(IPartyGrain.DescribeAsync), CallRule.When("the session's coordinator", c => c.IsCoordinatorOf(c.Argument<string>(0) ?? "")));
        Add<IPartyGrain>(nameof(IPartyGrain.ConfirmRowsAsync), CallRule.When("the session's coordinator", c => c.IsCoordinatorOf(c.Argument<string>(0) ?? "")));
        Add<IPartyGrain>(nameof(IPartyGrain.PendingAsync), CallRule.Open("list pending sessions; the party's operators"));
        Add<IPartyGrain>(nameof(IPartyGrain.DecideAsync), CallRule.Open("approve or reject; the party's approvers"));
        Add<IPartyGrain>(nameof(IPartyGrain.FetchResultAsync), CallRule.Open("fetch a result; named recipients only"));
        Add<IPartyGrain>(nameof(IPartyGrain.GetHostPartyAsync), CallRule.Open("placement, public"));

        // A party's audit trail (key: party).
        Add<IAuditLogGrain>(nameof(IAuditLogGrain.AppendAsync), new CallRule("the party's own silos and grains",
            async c => c.IsAnyPartySessionOf(c.TargetKey) || c.IsPartyGrainOf(c.TargetKey) || c.IsBudgetGrainOf(c.TargetKey) || await c.IsSiloOfAsync(c.TargetKey)));
        Add<IAuditLogGrain>(nameof(IAuditLogGrain.ExportAsync), CallRule.Open("export an audit trail; the party's operators only"));

        // A party's privacy budget ledger (key: party).
        Add<IPrivacyBudgetGrain>(nameof(IPrivacyBudgetGrain.ReserveAsync), CallRule.When("the party's own party grain",
            c => c.IsPartyGrainOf(c.TargetKey)));
        Add<IPrivacyBudgetGrain>(nameof(IPrivacyBudgetGrain.SpendAsync), new CallRule("the party's own silos",
            c => c.IsSiloOfAsync(c.TargetKey)));
        Add<IPrivacyBudgetGrain>(nameof(IPrivacyBudgetGrain.RefundAsync), new CallRule("the session's coordinator, or the party's own party grain or silos",
            async c => c.IsCoordinatorOf(c.Argument<string>(0) ?? "") || c.IsPartyGrainOf(c.TargetKey) || await c.IsSiloOfAsync(c.TargetKey)));
        Add<IPrivacyBudgetGrain>(nameof(IPrivacyBudgetGrain.ShowAsync), CallRule.Open("show the ledger; the party's operators only"));
        Add<IPrivacyBudgetGrain>(nameof(IPrivacyBudgetGrain.GetHostPartyAsync), CallRule.Open("placement, public"));

        // A silo's proof of identity (key: silo address).
        Add<ISiloAttestationGrain>(nameof(ISiloAttestationGrain.ProveAsync), CallRule.When("a silo", c => c.IsInsideCluster));
        return rules;
    }
}
