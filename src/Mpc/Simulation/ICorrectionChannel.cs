using SecureCompute.Mpc.Dealer;

namespace SecureCompute.Mpc.Simulation;

/// <summary>Where party n−1's engine gets the dealer's corrections when the dealer runs elsewhere.</summary>
/// <remarks>Parties 0..n−2 expand all their material from their seeds and need no channel.</remarks>
public interface ICorrectionChannel
{
    /// <summary>The dealer's correction for piece <paramref name="sequence"/>, which must be <paramref name="request"/>.</summary>
    DealerCorrection Next(long sequence, MaterialRequest request);
}
