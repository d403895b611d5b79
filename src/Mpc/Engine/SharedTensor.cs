using SecureCompute.Mpc.Sharing;
using TorchSharp;

namespace SecureCompute.Mpc.Engine;

/// <summary>
/// One secret tensor as an engine holds it: the shares of the parties the engine hosts — every party's in the
/// simulator, one party's in a deployment.
/// </summary>
/// <remarks>Local operations apply the same <see cref="ShareTensor"/> operation to every held share; nothing is opened.</remarks>
public sealed class SharedTensor : IDisposable
{
    /// <summary>Wraps the hosted parties' shares, in increasing party order (in the simulator: index = party).</summary>
    public SharedTensor(IReadOnlyList<ShareTensor> shares)
    {
        if (shares.Count < 1)
        {
            throw new ArgumentException("A shared tensor holds at least one party's share.", nameof(shares));
        }
        for (int i = 1; i < shares.Count; i++)
        {
            if (shares[i].Party <= shares[i - 1].Party)
            {
                throw new ArgumentException($"Share {i} belongs to party {shares[i].Party}, after party {shares[i - 1].Party}: shares go in increasing party order.", nameof(shares));
            }
        }
        Shares = shares.ToArray();
    }

    /// <summary>The held shares in increasing party order (in the simulator, which holds all, index = party).</summary>
    public ShareTensor[] Shares { get; }

    /// <summary>The tensor's shape.</summary>
    public long[] Shape => Shares[0].Shape;

    /// <summary>A copy of the held shares (local).</summary>
    public SharedTensor Copy() => Map((s, _) => new ShareTensor(s.Party, s.Value.clone()));

    /// <summary>x broadcast to <paramref name="shape"/> (local).</summary>
    public SharedTensor Expand(params long[] shape) => Map((s, _) => new ShareTensor(s.Party, s.Value.expand(shape).contiguous()));

    /// <summary>x + y.</summary>
    public SharedTensor Add(SharedTensor other) => Map((s, i) => s.Add(other.Shares[i]));

    /// <summary>x − y.</summary>
    public SharedTensor Subtract(SharedTensor other) => Map((s, i) => s.Subtract(other.Shares[i]));

    /// <summary>−x.</summary>
    public SharedTensor Negate() => Map((s, _) => s.Negate());

    /// <summary>x + p for a public ring tensor p.</summary>
    public SharedTensor AddPublic(torch.Tensor publicRing) => Map((s, _) => s.AddPublic(publicRing));

    /// <summary>x · k for a public integer k.</summary>
    public SharedTensor MultiplyPublic(long k) => Map((s, _) => s.MultiplyPublic(k));

    /// <summary>x ⊙ p for a public ring tensor p (not truncated).</summary>
    public SharedTensor MultiplyPublic(torch.Tensor publicRing) => Map((s, _) => s.MultiplyPublic(publicRing));

    /// <summary>Transpose of the last two dimensions.</summary>
    public SharedTensor Transpose() => Map((s, _) => s.Transpose());

    /// <summary>Reshape.</summary>
    public SharedTensor Reshape(params long[] shape) => Map((s, _) => s.Reshape(shape));

    /// <summary>Slice along a dimension.</summary>
    public SharedTensor Slice(long dimension, long start, long length) => Map((s, _) => s.Slice(dimension, start, length));

    /// <summary>Entries at public indices along a dimension (e.g. a minibatch's rows).</summary>
    public SharedTensor Gather(long dimension, torch.Tensor indices) => Map((s, _) => s.Gather(dimension, indices));

    /// <summary>Sum along a dimension.</summary>
    public SharedTensor Sum(long dimension, bool keepDimension = false) => Map((s, _) => s.Sum(dimension, keepDimension));

    /// <summary>Concatenation along a dimension.</summary>
    public static SharedTensor Concatenate(IReadOnlyList<SharedTensor> parts, long dimension) =>
        new(Enumerable.Range(0, parts[0].Shares.Length)
            .Select(i => ShareTensor.Concatenate(parts.Select(p => p.Shares[i]).ToArray(), dimension)).ToArray());

    /// <summary>Releases every share.</summary>
    public void Dispose()
    {
        foreach (ShareTensor s in Shares)
        {
            s.Dispose();
        }
    }

    /// <summary>Describes the tensor without its shares.</summary>
    public override string ToString() => $"SharedTensor({Shares.Length} held shares, shape [{string.Join(", ", Shape)}])";

    private SharedTensor Map(Func<ShareTensor, int, ShareTensor> op) => new(Shares.Select(op).ToArray());
}
