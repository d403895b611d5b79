using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Interfaces;

/// <summary>
/// The coordinator of one session (key: the session id): it prepares the parties and the dealer, combines every open,
/// and reports progress. It sees the spec, the schemas, masked messages and opened values — never a share or a datum.
/// </summary>
[Alias("SecureCompute.ITrainingSessionGrain")]
public interface ITrainingSessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Checks the spec, asks every party's policy (each checks <paramref name="starter"/> itself), then the parties'
    /// schemas, deals seeds, and starts every party; returns once training runs.
    /// </summary>
    [Alias("Start")]
    Task StartAsync(SessionSpec spec, ClientCredential starter);

    /// <summary>Party <paramref name="party"/>'s message for one open; completes with the opened value once every party sent its own.</summary>
    [Alias("Open")]
    Task<OpenContribution> OpenAsync(int party, OpenContribution message);

    /// <summary>Party 0 reports the released loss of an epoch (stored by the coordinator before it returns).</summary>
    [Alias("EpochDone")]
    Task EpochDoneAsync(int attempt, int epoch, double loss);

    /// <summary>
    /// A party finished; party 0 sends the report (the released model and cost figures), every party the bytes it
    /// received from the dealer (only party n−1 receives any).
    /// </summary>
    [Alias("PartyFinished")]
    Task PartyFinishedAsync(int party, int attempt, SessionReport? report, long dealerBytes);

    /// <summary>A party's program failed; the message names the cause without any value.</summary>
    [Alias("PartyFailed")]
    Task PartyFailedAsync(int party, int attempt, string error);

    /// <summary>Party <paramref name="party"/>'s decision on a session that awaited its operator's approval (from that party's own grain).</summary>
    [Alias("PartyDecided")]
    Task PartyDecidedAsync(string party, bool approved, string reason);

    /// <summary>Cancels the session (its starter, or an operator of one of its parties); every party stops.</summary>
    [Alias("Cancel")]
    Task CancelAsync(ClientCredential credential);

    /// <summary>The party whose silo hosts this coordinator (never the dealer's: see the placement).</summary>
    [Alias("HostParty")]
    Task<string?> GetHostPartyAsync();

    /// <summary>
    /// The session's progress (and its report once completed). The released losses and statistics only to the session's
    /// starter and its parties' operators, as <paramref name="observer"/> proves; anyone else sees state and counts.
    /// </summary>
    [Alias("Progress")]
    Task<SessionProgress> GetProgressAsync(ClientCredential observer);

    /// <summary>
    /// Sends <paramref name="observer"/> each new progress for <see cref="SessionClient.SubscriptionLifetime"/> (subscribe
    /// again before it ends; again with the same observer renews it) and returns the progress of the moment — both
    /// filtered for <paramref name="credential"/> exactly as <see cref="GetProgressAsync"/> filters them.
    /// </summary>
    [Alias("Subscribe")]
    Task<SessionProgress> SubscribeAsync(ISessionObserver observer, ClientCredential credential);

    /// <summary>Stops sending <paramref name="observer"/> progress (a client that stopped following).</summary>
    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(ISessionObserver observer);
}
