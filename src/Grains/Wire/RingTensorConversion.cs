using SecureCompute.Grains.Interfaces.Wire;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Grains.Wire;

/// <summary>Converts between TorchSharp int64 tensors and <see cref="RingTensor"/> with one block copy each way.</summary>
public static class RingTensorConversion
{
    /// <summary>The tensor's elements as a wire tensor (copied from CPU memory; a CUDA tensor is brought to the CPU first).</summary>
    /// <param name="ring">An int64 tensor.</param>
    /// <param name="forWire">Refuse a tensor larger than one message (false when the caller cuts it into parts).</param>
    public static RingTensor ToWire(Tensor ring, bool forWire = true)
    {
        if (ring.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"Ring tensors are int64, not {ring.dtype}.", nameof(ring));
        }
        using Tensor cpu = ring.device.type == DeviceType.CPU ? ring.contiguous() : ring.cpu().contiguous();
        return new RingTensor(cpu.shape, cpu.bytes.ToArray()).Validate(forWire);
    }

    /// <summary>The wire tensor as an int64 tensor on <paramref name="device"/> (CPU by default).</summary>
    public static Tensor FromWire(RingTensor wire, Device? device = null)
    {
        wire.Validate(forWire: false);
        Tensor result = empty(wire.Shape, ScalarType.Int64);
        wire.Data.AsSpan().CopyTo(result.bytes);
        return device is null || device.type == DeviceType.CPU ? result : result.to(device);
    }
}
