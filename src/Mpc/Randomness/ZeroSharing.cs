using SecureCompute.Mpc.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Randomness;

/// <summary>
/// Pseudo-random zero sharing (PRZS): every party derives a share of 0 from its pairwise seeds, with no messages.
/// </summary>
/// <remarks>
/// Steps, for party i among n:
/// 1. For every j ≠ i draw z_ij from the stream shared with j (both ends draw the same tensor).
/// 2. Share_i = Σ_{j&gt;i} z_ij − Σ_{j&lt;i} z_ji; over all parties every z appears once with each sign, so Σ share = 0.
/// A data owner adds its plaintext to its zero share: the others' shares are already uniform, so the input is
/// shared without being sent. Any n−1 shares are uniform and independent of the secret.
/// </remarks>
public static class ZeroSharing
{
    /// <summary>This party's share of a zero tensor of <paramref name="shape"/>.</summary>
    public static Tensor ZeroShare(PairwiseSeeds seeds, ReadOnlySpan<long> shape, Device? device = null)
    {
        Tensor share = zeros(shape, ScalarType.Int64, device);
        for (int j = 0; j < seeds.PartyCount; j++)
        {
            if (j == seeds.Party)
            {
                continue;
            }
            using Tensor z = seeds.With(j).NextInt64(shape, device);
            if (j > seeds.Party)
            {
                share.PlusInPlace(z);
            }
            else
            {
                share.MinusInPlace(z);
            }
        }
        return share;
    }
}
