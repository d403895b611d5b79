using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Sessions;

/// <summary>
/// Sees everything a coordinator receives, as a curious coordinator could record it. For audits and tests (which show
/// that no share and no data value is among it); a silo without one registered records nothing.
/// </summary>
public interface ICoordinatorTap
{
    /// <summary>A party's open message arrived.</summary>
    void Received(string session, int party, OpenContribution message);

    /// <summary>A schema, a loss, a report or an error arrived (public by design).</summary>
    void Received(string session, int party, object release);
}
