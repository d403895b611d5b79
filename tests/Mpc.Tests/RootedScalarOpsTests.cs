using SecureCompute.Mpc.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Tests;

/// <summary>The rooted-scalar wrappers compute what TorchSharp's own overloads compute (wrapping mod 2^64).</summary>
public class RootedScalarOpsTests
{
    [Fact]
    public void WrappersMatchManagedArithmetic()
    {
        using var scope = NewDisposeScope();
        long[] a = { long.MinValue, -5, 0, 7, long.MaxValue };
        long[] b = { 3, long.MaxValue, -1, 9, 1 };
        Tensor x = tensor(a), y = tensor(b);
        Assert.Equal(a.Zip(b, (p, q) => unchecked(p + q)), Reference.Longs(x.Plus(y)));
        Assert.Equal(a.Zip(b, (p, q) => unchecked(p - q)), Reference.Longs(x.Minus(y)));
        Assert.Equal(a.Select(p => unchecked(p + 11)), Reference.Longs(x.Plus(11)));
        Assert.Equal(a.Select(p => unchecked(p - 11)), Reference.Longs(x.Minus(11)));
        Assert.Equal(a.Select(p => unchecked(p * -3)), Reference.Longs(x.Times(-3L)));
        Assert.Equal(a.Select(p => p & 0xFF0F), Reference.Longs(x.BitAnd(0xFF0F)));
        Assert.Equal(a.Select(p => p >> 5), Reference.Longs(x.ShiftRight(5)));
        Assert.Equal(a.Select(p => p << 7), Reference.Longs(x.ShiftLeft(7)));
        Assert.Equal(a.Select(p => p < 0), x.Below(0).data<bool>().ToArray());
        Assert.Equal(a.Select(p => p == 0), x.EqualTo(0).data<bool>().ToArray());
        Assert.Equal(a.Select(p => p != 7), x.NotEqualTo(7).data<bool>().ToArray());

        Tensor z = x.clone();
        z.PlusInPlace(y).MinusInPlace(y).TimesInPlace(2L).PlusInPlace(1).MinusInPlace(1).BitAndInPlace(-1L).ShiftRightInPlace(1);
        Assert.Equal(a.Select(p => unchecked(p * 2) >> 1), Reference.Longs(z));

        Tensor r = tensor(new[] { 1.5, -2.0 });
        Assert.Equal(new[] { 3.0, -4.0 }, r.Times(2.0).data<double>().ToArray());
        Assert.Equal(new[] { 0.75, -1.0 }, r.clone().DivideInPlace(2).data<double>().ToArray());
        Assert.Equal(new[] { true, false }, r.AtLeast(1.0).data<bool>().ToArray());
    }
}
