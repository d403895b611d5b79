using TorchSharp;

namespace SecureCompute.Mpc.Runtime;

/// <summary>Which compute device a party's share arithmetic runs on.</summary>
public enum ComputeDeviceKind
{
    /// <summary>CUDA if TorchSharp has a CUDA backend and a GPU, the CPU otherwise.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>The first CUDA device; an error where TorchSharp has no CUDA backend.</summary>
    Cuda,
}

/// <summary>The one place that turns a <see cref="ComputeDeviceKind"/> into a TorchSharp device.</summary>
public static class ComputeDevice
{
    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>auto</c> (case-insensitive).</summary>
    public static ComputeDeviceKind Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "cpu" => ComputeDeviceKind.Cpu,
        "cuda" => ComputeDeviceKind.Cuda,
        "auto" => ComputeDeviceKind.Auto,
        _ => throw new ArgumentException($"Unknown compute device '{value}': expected cpu, cuda or auto.", nameof(value)),
    };

    /// <summary>Resolves the kind to a device, loading libtorch first.</summary>
    /// <exception cref="TorchUnavailableException">CUDA was asked for and is not available.</exception>
    public static torch.Device Resolve(ComputeDeviceKind kind)
    {
        TorchRuntime.EnsureLoaded();
        bool cuda = IsCudaAvailable();
        return kind switch
        {
            ComputeDeviceKind.Cpu => torch.CPU,
            ComputeDeviceKind.Auto => cuda ? torch.CUDA : torch.CPU,
            ComputeDeviceKind.Cuda when cuda => torch.CUDA,
            ComputeDeviceKind.Cuda => throw new TorchUnavailableException(
                "CUDA was requested, but TorchSharp has no usable CUDA backend in this build (it references the CPU build of " +
                "libtorch, or no GPU is visible). Use --device cpu or auto, or build against a libtorch-cuda package."),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static bool IsCudaAvailable()
    {
        try
        {
            return torch.cuda.is_available();
        }
        catch (Exception)
        {
            // The CPU build of libtorch throws when asked to initialise CUDA: that simply means no CUDA here.
            return false;
        }
    }
}
