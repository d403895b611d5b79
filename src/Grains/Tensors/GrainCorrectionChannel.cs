using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Wire;
using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Simulation;

namespace SecureCompute.Grains.Tensors;

/// <summary>Party n−1's corrections straight from the session's dealer grain (never through the coordinator).</summary>
internal sealed class GrainCorrectionChannel(IDealerGrain dealer) : ICorrectionChannel
{
    private long sequence;

    /// <inheritdoc />
    public DealerCorrection Next(MaterialRequest request)
    {
        var correction = WorkerWait.For(dealer.NextCorrectionAsync(MessageConversion.ToWire(request, sequence)));
        sequence++;
        return MessageConversion.FromWire(correction, request);
    }
}
