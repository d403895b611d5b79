using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Wire;
using SecureCompute.Grains.Placement;
using SecureCompute.Mpc.Protocols;
using SecureCompute.Mpc.Simulation;
using static TorchSharp.torch;

namespace SecureCompute.Grains.Tensors;

/// <summary>A party's opens through the session's coordinator grain: one call per round, answered with the opened value.</summary>
/// <remarks>
/// Used from the party's worker thread, which waits for each answer (<see cref="WorkerWait"/>). An open larger than one
/// message goes as parts, sent together (<see cref="OpenChunking"/>).
/// </remarks>
internal sealed class GrainOpenChannel(ITrainingSessionGrain coordinator, int party, int attempt, Device device) : IOpenChannel
{
    /// <inheritdoc />
    public OpenMessage Open(long round, ProtocolOp op, OpenMessage message)
    {
        OpenContribution mine = MessageConversion.ToWire(message, round, op) with { Attempt = attempt };
        OpenContribution[] parts = OpenChunking.Split(mine);
        OpenContribution[] opened = parts.Length == 1
            ? new[] { WorkerWait.Call(() => coordinator.OpenAsync(party, parts[0])) }
            : WorkerWait.For(Task.WhenAll(parts.Select(p => SiloLossRetry.RunAsync(() => coordinator.OpenAsync(party, p)))));
        if (opened.Any(o => o.Round != round))
        {
            throw new InvalidOperationException($"The coordinator answered round {round} with another round.");
        }
        return MessageConversion.FromWire(OpenChunking.Join(opened, mine.Values.Select(v => v.Shape).ToArray()), device);
    }
}
