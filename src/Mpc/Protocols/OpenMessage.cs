using TorchSharp;

namespace SecureCompute.Mpc.Protocols;

/// <summary>The tensors one party contributes to an open, or the opened (summed) tensors the coordinator returns.</summary>
/// <remarks>A protocol opens all its values in one round, so a message holds several tensors (e.g. ε and δ).</remarks>
/// <param name="Values">The ring tensors (or words), in the protocol's order.</param>
/// <param name="Kind">How the coordinator combines the parties' messages: sum mod 2^64, or XOR.</param>
public sealed record OpenMessage(torch.Tensor[] Values, OpenKind Kind = OpenKind.Arithmetic) : IDisposable
{
    /// <summary>Ring elements in the message.</summary>
    public long ElementCount => Values.Sum(v => v.numel());

    /// <summary>Bytes on the wire (8 per ring element).</summary>
    public long Bytes => ElementCount * sizeof(long);

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        foreach (torch.Tensor v in Values)
        {
            v.Dispose();
        }
    }
}

/// <summary>How the parties' messages of one open are combined.</summary>
public enum OpenKind
{
    /// <summary>Additive shares: sum mod 2^64.</summary>
    Arithmetic,

    /// <summary>Boolean shares: XOR of 64-bit words.</summary>
    Boolean,
}
