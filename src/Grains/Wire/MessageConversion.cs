using SecureCompute.Grains.Interfaces.Dealing;
using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Protocols;
using SecureCompute.Mpc.Engine;
using static TorchSharp.torch;

namespace SecureCompute.Grains.Wire;

/// <summary>Converts the engine's messages to and from their wire forms.</summary>
public static class MessageConversion
{
    /// <summary>A party's open message in wire form, whole (<see cref="OpenChunking"/> cuts it for sending if it is too large).</summary>
    public static OpenContribution ToWire(OpenMessage message, long round, ProtocolOp op) =>
        new(round, op.ToString(), message.Kind == OpenKind.Boolean, message.Values.Select(v => RingTensorConversion.ToWire(v, forWire: false)).ToArray());

    /// <summary>An opened message from the wire, its tensors on <paramref name="device"/>.</summary>
    public static OpenMessage FromWire(OpenContribution opened, Device device) =>
        new(opened.Values.Select(v => RingTensorConversion.FromWire(v, device)).ToArray(), opened.Xor ? OpenKind.Boolean : OpenKind.Arithmetic);

    /// <summary>A material request as party n−1 sends it to the dealer.</summary>
    public static MaterialOrder ToWire(MaterialRequest request, long sequence) =>
        new(sequence, (int)request.Kind, request.ShapeA, request.ShapeB, request.Bits);

    /// <summary>The request an order describes; rejects an unknown kind.</summary>
    public static MaterialRequest FromWire(MaterialOrder order)
    {
        if (!Enum.IsDefined((MaterialKind)order.Kind))
        {
            throw new ArgumentException($"Unknown material kind {order.Kind}.", nameof(order));
        }
        return new MaterialRequest((MaterialKind)order.Kind, order.ShapeA, order.ShapeB, order.Bits);
    }

    /// <summary>The dealer's correction on the wire.</summary>
    public static MaterialCorrection ToWire(DealerCorrection correction) =>
        new(correction.Sequence, correction.ForLastParty.Select(t => RingTensorConversion.ToWire(t)).ToArray());

    /// <summary>The dealer's correction from the wire, for <paramref name="request"/>.</summary>
    public static DealerCorrection FromWire(MaterialCorrection correction, MaterialRequest request) =>
        new(correction.Sequence, request, correction.Tensors.Select(t => RingTensorConversion.FromWire(t)).ToArray());
}
