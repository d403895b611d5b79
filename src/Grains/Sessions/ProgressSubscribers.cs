using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Sessions;

/// <summary>
/// The clients following one session (<see cref="ISessionObserver"/>), each with the credential it subscribed with: what
/// each is sent is filtered for that credential. A subscription lasts <see cref="SessionClient.SubscriptionLifetime"/>
/// unless renewed; the coordinator's activation holds them (a new activation starts with none).
/// </summary>
internal sealed class ProgressSubscribers(ILogger logger)
{
    /// <summary>
    /// The most subscribers a session keeps. A client beyond them is answered but not pushed to: it follows at its
    /// re-subscription interval, like after a lost notification.
    /// </summary>
    public const int MaxSubscribers = 64;

    private readonly ObserverManager<ISessionObserver, Subscription> subscriptions = new(SessionClient.SubscriptionLifetime, logger);

    /// <summary>Subscribes <paramref name="observer"/>, or renews its subscription with <paramref name="credential"/>.</summary>
    public void Subscribe(ISessionObserver observer, ClientCredential credential)
    {
        subscriptions.ClearExpired();
        if (subscriptions.Count >= MaxSubscribers && !subscriptions.Observers.ContainsKey(observer))
        {
            return;
        }
        subscriptions.Subscribe(observer, new Subscription(observer, credential));
    }

    /// <summary>Ends <paramref name="observer"/>'s subscription, if it has one.</summary>
    public void Unsubscribe(ISessionObserver observer) => subscriptions.Unsubscribe(observer);

    /// <summary>Sends every subscriber the progress of the moment as <paramref name="progressFor"/> filters it for its credential.</summary>
    public void Publish(Func<ClientCredential, SessionProgress> progressFor) =>
        subscriptions.Notify(s => s.Observer.Progressed(progressFor(s.Credential)));

    /// <summary>One subscriber and the credential it proved.</summary>
    private sealed record Subscription(ISessionObserver Observer, ClientCredential Credential)
    {
        /// <summary>The subscriber only: Orleans' debug log names entries, and a credential has no place there.</summary>
        public override string ToString() => Observer.ToString() ?? nameof(ISessionObserver);
    }
}
