using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Diagnostics;

namespace SecureCompute.Mpc.Engine;

/// <summary>The simulator's dealer: a <see cref="TrustedDealer"/> in the same process, dealing each piece when asked.</summary>
public sealed class InProcessDealer(string session, TrustedDealer dealer) : IMaterialSource, IDisposable
{
    /// <inheritdoc />
    public DealerCorrection Next(long sequence, MaterialRequest request)
    {
        DealerCorrection correction = dealer.Deal(sequence, request);
        RoundTelemetry.RecordMaterial(session, request.Kind);
        return correction;
    }

    /// <summary>Releases the dealer's seeds and streams.</summary>
    public void Dispose() => dealer.Dispose();
}
