using SecureCompute.Grains.Interfaces.Rounds;
using SecureCompute.Grains.Interfaces.Wire;
using SecureCompute.Grains.Wire;
using SecureCompute.Mpc.Protocols;
using static TorchSharp.torch;

namespace SecureCompute.Grains.Sessions;

/// <summary>The coordinator's open on wire messages: the engine's one combine (<see cref="OpenRound.Combine"/>) on the parties' wire tensors.</summary>
/// <remarks>The simulator's coordinator sums the same way, so a deployment and the simulator cannot disagree on what an open is.</remarks>
public static class OpenCombiner
{
    /// <summary>Combines one message per party, in party order; all must agree on round, kind, count and shapes.</summary>
    public static OpenContribution Combine(IReadOnlyList<OpenContribution> messages)
    {
        OpenContribution first = messages[0];
        for (int p = 1; p < messages.Count; p++)
        {
            OpenContribution m = messages[p];
            if (m.Round != first.Round || m.Xor != first.Xor || m.Values.Length != first.Values.Length)
            {
                throw new ArgumentException($"Round {first.Round}: party {p} sent a different kind or number of tensors ({m.Operation}, {m.Values.Length}) than party 0 ({first.Operation}, {first.Values.Length}); the parties' programs have diverged.");
            }
        }
        using var scope = NewDisposeScope();   // a grain call has none of its own: every tensor here is released at return
        OpenMessage[] parts = messages.Select(m => MessageConversion.FromWire(m, CPU)).ToArray();
        try
        {
            using OpenMessage opened = OpenRound.Combine(parts);
            return first with { Values = opened.Values.Select(v => RingTensorConversion.ToWire(v, forWire: false)).ToArray() };
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Round {first.Round}: {e.Message.Replace($" (Parameter '{e.ParamName}')", "")}");
        }
        finally
        {
            foreach (OpenMessage part in parts)
            {
                part.Dispose();
            }
        }
    }
}
