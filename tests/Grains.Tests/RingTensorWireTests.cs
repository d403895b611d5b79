using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using SecureCompute.Grains.Interfaces.Wire;
using SecureCompute.Grains.Wire;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Grains.Tests;

public class RingTensorWireTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void RoundTripsThroughOrleansSerializationBitForBit()
    {
        using var scope = NewDisposeScope();
        var random = new Random(5);
        foreach (long[] shape in new[] { new long[] { 0 }, new long[] { 1 }, new long[] { 3, 7 }, new long[] { 2, 3, 4 } })
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            long[] values = Enumerable.Range(0, (int)count).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).ToArray();
            if (count > 0)
            {
                values[0] = long.MinValue;
            }
            Tensor original = tensor(values, shape);
            RingTensor wire = RingTensorConversion.ToWire(original);
            RingTensor received = Serializer.Deserialize<RingTensor>(Serializer.SerializeToArray(wire))!;
            Tensor back = RingTensorConversion.FromWire(received);
            Assert.Equal(shape, back.shape);
            Assert.Equal(values, back.data<long>().ToArray());
        }
    }

    [Fact]
    public void StridedTensorsAreSentInLogicalOrder()
    {
        using var scope = NewDisposeScope();
        Tensor x = arange(12, dtype: ScalarType.Int64).reshape(3, 4).t();
        Tensor back = RingTensorConversion.FromWire(RingTensorConversion.ToWire(x));
        Assert.Equal(x.contiguous().data<long>().ToArray(), back.data<long>().ToArray());
    }

    [Fact]
    public void OversizedOrInconsistentTensorsAreRefusedClearly()
    {
        var tooBig = new RingTensor(new long[] { RingTensor.MaxElements + 1L }, Array.Empty<byte>());
        var error = Assert.Throws<ArgumentException>(() => tooBig.Validate());
        Assert.Contains("split it", error.Message);
        Assert.Throws<ArgumentException>(() => new RingTensor(new long[] { 2 }, new byte[8]).Validate());
        Assert.Throws<ArgumentException>(() => new RingTensor(new long[] { -1 }, Array.Empty<byte>()).Validate());
        Assert.Equal("RingTensor([2])", new RingTensor(new long[] { 2 }, new byte[] { 1, 1, 1, 1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 9, 9, 9 }).ToString());
    }

    /// <summary>The byte form is much cheaper on the wire than long[] (measured here; printed, not asserted on timing).</summary>
    [Fact]
    public void ByteFormIsNoLargerThanLongArrayForm()
    {
        long[] values = Enumerable.Range(0, 100_000).Select(i => (long)i * 0x0123456789ABL).ToArray();
        byte[] asLongs = Serializer.SerializeToArray(values);
        byte[] asRing = Serializer.SerializeToArray(new RingTensor(new long[] { values.Length }, values.SelectMany(BitConverter.GetBytes).ToArray()));
        Assert.True(asRing.Length <= values.Length * 8 + 64, $"{asRing.Length} bytes for {values.Length} elements");
        Assert.True(asRing.Length <= asLongs.Length + 64);
    }
}
