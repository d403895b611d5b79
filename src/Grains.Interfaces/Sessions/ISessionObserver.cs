using Orleans.Concurrency;

namespace SecureCompute.Grains.Interfaces.Sessions;

/// <summary>
/// A client following a session (<see cref="ITrainingSessionGrain.SubscribeAsync"/>): the coordinator sends it each
/// new progress as it happens, filtered for the credential it subscribed with.
/// </summary>
/// <remarks>
/// One-way: the coordinator never waits on a client. A notification lost on the way, or a coordinator activated again
/// on another silo (which starts without subscribers), is made up by the client's slow re-subscription, which answers
/// with the progress of the moment (<see cref="SessionClient.ResubscribeInterval"/>).
/// </remarks>
[Alias("SecureCompute.ISessionObserver")]
public interface ISessionObserver : IGrainObserver
{
    /// <summary>The session's progress changed: its state, a released epoch loss, a resume, or its end.</summary>
    [Alias("Progressed"), OneWay]
    void Progressed(SessionProgress progress);
}
