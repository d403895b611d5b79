namespace SecureCompute.Mpc.Runtime;

/// <summary>libtorch (or the requested device backend) cannot be used in this process.</summary>
public sealed class TorchUnavailableException : Exception
{
    /// <summary>Creates the exception with the reason the native library or backend is unavailable.</summary>
    public TorchUnavailableException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
