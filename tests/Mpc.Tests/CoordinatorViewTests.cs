using SecureCompute.Mpc.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

/// <summary>
/// What the coordinator receives while the protocols run contains no element of any party's share of the inputs and
/// no input value: every message is masked (uniform 64-bit words; an accidental match among ~10^5 × 10^5 pairs has
/// probability ~10^-9).
/// </summary>
public class CoordinatorViewTests
{
    [Fact]
    public void NoShareAndNoInputReachesTheCoordinator()
    {
        using var scope = NewDisposeScope();
        using var mpc = new MpcEngine(3);
        var seen = new HashSet<long>();
        mpc.Coordinator!.Received += (_, message) =>
        {
            foreach (Tensor value in message.Values)
            {
                seen.UnionWith(Reference.Longs(value));
            }
        };
        Tensor x = rand(2000, dtype: ScalarType.Float64).mul_(20).sub_(10);
        Tensor y = rand(2000, dtype: ScalarType.Float64).mul_(20).sub_(10);
        SharedTensor sx = mpc.ShareReal(x, 0);
        SharedTensor sy = mpc.ShareReal(y, 1);
        _ = mpc.MultiplyFixed(sx, sy);
        _ = mpc.Sigmoid(sx);
        _ = mpc.Max(sx, sy);
        _ = mpc.RevealTo(sx, 2);

        var secret = new HashSet<long>(Reference.Longs(mpc.Format.Encode(x)).Concat(Reference.Longs(mpc.Format.Encode(y))));
        foreach (SharedTensor shared in new[] { sx, sy })
        {
            foreach (var share in shared.Shares)
            {
                secret.UnionWith(Reference.Longs(share.Value));
            }
        }
        secret.Remove(0);
        Assert.True(seen.Count > 50_000, $"only {seen.Count} distinct words recorded");
        Assert.Empty(secret.Intersect(seen));
    }
}
