using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Randomness;
using SecureCompute.Mpc.Sharing;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Protocols;

/// <summary>
/// Reveal a shared tensor to all parties, or to chosen parties only, in one round through the coordinator.
/// </summary>
/// <remarks>
/// To all: every party sends its share, the coordinator sums them and returns x. The coordinator learns x too, so
/// this is for values that are public anyway (e.g. a released loss).
/// To recipients R only, steps:
/// 1. For each recipient r in R's order: a party i ≠ r sends x_i + m_ir, with m_ir drawn from the pairwise stream
///    (i, r); r itself sends zeros in its slot, and precomputes Σ_{i≠r} m_ir from the same streams.
/// 2. The coordinator sums slot r over all parties: Σ_{i≠r} x_i + Σ_{i≠r} m_ir, uniform to anyone without r's seeds.
/// 3. Recipient r: x = x_r + slot_r − Σ_{i≠r} m_ir. The others learn nothing.
/// Draws happen in one canonical order (recipients in order, then senders), so both ends of every pair agree.
/// Bytes: 8·|x|·|R| per party up, 8·|x| per recipient down. Rounds: 1.
/// </remarks>
public static class Reveal
{
    /// <summary>Begin a reveal to all: the message is the share itself.</summary>
    public static OpenMessage BeginToAll(ShareTensor x) => new(new[] { x.Value.alias() });

    /// <summary>Finish a reveal to all: the opened value is x.</summary>
    public static Tensor FinishToAll(OpenMessage opened) => opened.Values[0].alias();

    /// <summary>Begin a reveal to <paramref name="recipients"/>: the masked message, and what this party keeps.</summary>
    public static (OpenMessage Message, PendingReveal State) BeginTo(ShareTensor x, PairwiseSeeds seeds, IReadOnlyList<int> recipients)
    {
        Validate(recipients, seeds.PartyCount);
        var slots = new Tensor[recipients.Count];
        Tensor? unmask = null;
        for (int k = 0; k < recipients.Count; k++)
        {
            int r = recipients[k];
            if (r != x.Party)
            {
                using Tensor mask = seeds.With(r).NextInt64(x.Shape, x.Value.device);
                slots[k] = x.Value.Plus(mask);
                continue;
            }
            slots[k] = zeros_like(x.Value);
            unmask = zeros_like(x.Value);
            for (int i = 0; i < seeds.PartyCount; i++)
            {
                if (i != r)
                {
                    using Tensor mask = seeds.With(i).NextInt64(x.Shape, x.Value.device);
                    unmask.PlusInPlace(mask);
                }
            }
        }
        int slot = recipients.ToList().IndexOf(x.Party);
        return (new OpenMessage(slots), new PendingReveal(x, slot, unmask));
    }

    /// <summary>Finish a reveal at a party: the secret if it is a recipient, null otherwise.</summary>
    public static Tensor? FinishTo(PendingReveal state, OpenMessage opened)
    {
        if (state.Slot < 0)
        {
            return null;
        }
        return state.Share.Value.Plus(opened.Values[state.Slot]).MinusInPlace(state.Unmask!);
    }

    private static void Validate(IReadOnlyList<int> recipients, int parties)
    {
        if (recipients.Count == 0)
        {
            throw new ArgumentException("A reveal needs at least one recipient.", nameof(recipients));
        }
        if (recipients.Any(r => r < 0 || r >= parties) || recipients.Distinct().Count() != recipients.Count)
        {
            throw new ArgumentException($"Recipients must be distinct parties in 0..{parties - 1}.", nameof(recipients));
        }
    }
}

/// <summary>What a party keeps between the two steps of a targeted reveal.</summary>
/// <param name="Share">Its share of the revealed tensor.</param>
/// <param name="Slot">Its position among the recipients, or −1.</param>
/// <param name="Unmask">For a recipient, Σ of the other parties' masks towards it.</param>
public sealed record PendingReveal(ShareTensor Share, int Slot, Tensor? Unmask);
