using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

public class RevealAndDeviceTests
{
    [Theory]
    [InlineData(2, new[] { 1 })]
    [InlineData(3, new[] { 0 })]
    [InlineData(4, new[] { 3, 1 })]
    [InlineData(5, new[] { 0, 2, 4 })]
    public void RevealToChosenPartiesOnly(int parties, int[] recipients)
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(parties);
        Tensor secret = Reference.RandomRing(new Random(parties), 64);
        // Reveal twice: the pairwise streams must stay in step across reveals.
        for (int repeat = 0; repeat < 2; repeat++)
        {
            Tensor?[] learned = mpc.RevealTo(mpc.Share(secret, 0), recipients);
            for (int p = 0; p < parties; p++)
            {
                if (recipients.Contains(p))
                {
                    Assert.Equal(Reference.Longs(secret), Reference.Longs(learned[p]!));
                }
                else
                {
                    Assert.Null(learned[p]);
                }
            }
        }
    }

    [Fact]
    public void RevealRejectsBadRecipients()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        SharedTensor x = mpc.Share(zeros(2, dtype: ScalarType.Int64), 0);
        Assert.Throws<ArgumentException>(() => mpc.RevealTo(x));
        Assert.Throws<ArgumentException>(() => mpc.RevealTo(x, 3));
        Assert.Throws<ArgumentException>(() => mpc.RevealTo(x, 1, 1));
    }

    [Fact]
    public void DeviceNamesParse()
    {
        Assert.Equal(ComputeDeviceKind.Cpu, ComputeDevice.Parse("CPU"));
        Assert.Equal(ComputeDeviceKind.Cuda, ComputeDevice.Parse("cuda"));
        Assert.Equal(ComputeDeviceKind.Auto, ComputeDevice.Parse(" auto "));
        Assert.Contains("expected cpu, cuda or auto", Assert.Throws<ArgumentException>(() => ComputeDevice.Parse("tpu")).Message);
    }

    [Fact]
    public void CudaWithoutABackendSaysSo()
    {
        Assert.Equal(DeviceType.CPU, ComputeDevice.Resolve(ComputeDeviceKind.Cpu).type);
        if (cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, ComputeDevice.Resolve(ComputeDeviceKind.Auto).type);
            return;
        }
        Assert.Equal(DeviceType.CPU, ComputeDevice.Resolve(ComputeDeviceKind.Auto).type);
        var error = Assert.Throws<TorchUnavailableException>(() => ComputeDevice.Resolve(ComputeDeviceKind.Cuda));
        Assert.Contains("CUDA was requested", error.Message);
    }
}
