namespace SecureCompute.Grains.Storage;

/// <summary>What a grain writes to storage: its state sealed by <see cref="StateSealer"/>, nothing else.</summary>
[GenerateSerializer, Alias("SecureCompute.SealedState")]
public sealed class SealedState
{
    /// <summary>Nonce ‖ tag ‖ ciphertext, or null before the first write.</summary>
    [Id(0)]
    public byte[]? Sealed { get; set; }
}
