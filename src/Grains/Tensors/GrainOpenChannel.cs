using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Wire;
using SecureCompute.Mpc.Protocols;
using SecureCompute.Mpc.Simulation;
using static TorchSharp.torch;

namespace SecureCompute.Grains.Tensors;

/// <summary>A party's opens through the session's coordinator grain: one call per round, answered with the opened value.</summary>
/// <remarks>Used from the party's worker thread, which waits for each answer (<see cref="WorkerWait"/>).</remarks>
internal sealed class GrainOpenChannel(ITrainingSessionGrain coordinator, int party, Device device) : IOpenChannel
{
    /// <inheritdoc />
    public OpenMessage Open(long round, ProtocolOp op, OpenMessage message)
    {
        OpenContribution opened = WorkerWait.For(coordinator.OpenAsync(party, MessageConversion.ToWire(message, round, op)));
        if (opened.Round != round)
        {
            throw new InvalidOperationException($"The coordinator answered round {round} with round {opened.Round}.");
        }
        return MessageConversion.FromWire(opened, device);
    }
}
