using SecureCompute.Mpc.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Protocols;

/// <summary>The coordinator's part of a round: summing every party's message mod 2^64 (the "open") — the one
/// implementation, used by the simulator's coordinator and a deployment's alike.</summary>
/// <remarks>
/// Every message the coordinator sums is masked by fresh uniform randomness (a Beaver mask, a truncation mask or a
/// pairwise PRG mask), so the opened value is uniform or is the value the protocol means to make public.
/// </remarks>
public static class OpenRound
{
    /// <summary>Sums (or, for boolean shares, XORs) the parties' messages (one per party, in party order) tensor by tensor.</summary>
    public static OpenMessage Combine(IReadOnlyList<OpenMessage> messages)
    {
        if (messages.Count == 0)
        {
            throw new ArgumentException("An open needs at least one message.", nameof(messages));
        }
        int count = messages[0].Values.Length;
        OpenKind kind = messages[0].Kind;
        for (int p = 1; p < messages.Count; p++)
        {
            if (messages[p].Values.Length != count || messages[p].Kind != kind)
            {
                throw new ArgumentException($"Party {p} sent {messages[p].Values.Length} {messages[p].Kind} tensors to an open of party 0's {count} {kind}; the parties' programs have diverged.", nameof(messages));
            }
        }
        var sums = new Tensor[count];
        for (int k = 0; k < count; k++)
        {
            long[] shape = messages[0].Values[k].shape;
            Tensor sum = messages[0].Values[k].clone();
            for (int p = 1; p < messages.Count; p++)
            {
                Tensor v = messages[p].Values[k];
                if (!v.shape.SequenceEqual(shape))
                {
                    throw new ArgumentException($"Open of tensor {k}: party {p} sent shape [{string.Join(", ", v.shape)}], party 0 [{string.Join(", ", shape)}].", nameof(messages));
                }
                if (kind == OpenKind.Boolean)
                {
                    sum.bitwise_xor_(v);
                }
                else
                {
                    sum.PlusInPlace(v);
                }
            }
            sums[k] = sum;
        }
        return new OpenMessage(sums, kind);
    }
}
