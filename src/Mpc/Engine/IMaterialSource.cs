using SecureCompute.Mpc.Dealer;

namespace SecureCompute.Mpc.Engine;

/// <summary>Where an engine that hosts party n−1 gets the dealer's correction for each piece of material.</summary>
/// <remarks>
/// Parties 0..n−2 expand all their material from their seeds and need no source. In a deployment the source asks the
/// dealer's grain; in the simulator (<see cref="InProcessDealer"/>) it is the dealer itself.
/// </remarks>
public interface IMaterialSource
{
    /// <summary>The dealer's correction for piece <paramref name="sequence"/>, which must be <paramref name="request"/>.</summary>
    DealerCorrection Next(long sequence, MaterialRequest request);
}
