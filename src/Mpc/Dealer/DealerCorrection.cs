using TorchSharp;

namespace SecureCompute.Mpc.Dealer;

/// <summary>
/// What the dealer sends for one piece of material: nothing to parties 0..n−2 (they expand their parts from their
/// seeds), and to party n−1 the explicit tensors that make the derived components add up.
/// </summary>
/// <param name="Sequence">Position of this material in the session's stream; parties check they consume in order.</param>
/// <param name="Request">What the material is for.</param>
/// <param name="ForLastParty">Party n−1's derived components, in <see cref="MaterialRequest.Corrected"/> order.</param>
public sealed record DealerCorrection(long Sequence, MaterialRequest Request, torch.Tensor[] ForLastParty) : IDisposable
{
    /// <summary>Bytes the dealer sends for this material (8 per ring element of the corrections).</summary>
    public long Bytes => ForLastParty.Sum(t => t.numel() * sizeof(long));

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        foreach (torch.Tensor t in ForLastParty)
        {
            t.Dispose();
        }
    }
}
