using System.Runtime.InteropServices;
using TorchSharp;

namespace SecureCompute.Mpc.Runtime;

/// <summary>Loads TorchSharp's native libraries once and turns a load failure into an error that says why.</summary>
public static class TorchRuntime
{
    private const string NativeLibraryName = "libLibTorchSharp.so";
    private static readonly Lazy<bool> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Ensures libtorch is loaded; throws <see cref="TorchUnavailableException"/> with the loader's reason otherwise.</summary>
    public static void EnsureLoaded() => _ = Loaded.Value;

    private static bool Load()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return true;
        }
        catch (Exception ex) when (ex is not TorchUnavailableException)
        {
            throw new TorchUnavailableException(Explain(ex), ex);
        }
    }

    private static string Explain(Exception torchError)
    {
        string reason = torchError.Message;
        if (OperatingSystem.IsLinux())
        {
            string path = Path.Combine(AppContext.BaseDirectory, NativeLibraryName);
            if (!File.Exists(path))
            {
                return $"TorchSharp's native library {NativeLibraryName} is not in {AppContext.BaseDirectory}: the libtorch " +
                       "package for this runtime identifier was not restored (build with -r linux-x64, see README).";
            }
            try
            {
                NativeLibrary.Free(NativeLibrary.Load(path));
            }
            catch (DllNotFoundException loadError)
            {
                reason = loadError.Message;
            }
            if (reason.Contains("GLIBCXX_", StringComparison.Ordinal))
            {
                return "TorchSharp's native library could not be loaded because the system's libstdc++ is older than the one it " +
                       $"was built with: {reason}. The build marks that requirement weak on such systems; rebuild (dotnet build) " +
                       "so that the patched copy is in the output, see README, 'Native libraries on Debian 12'.";
            }
        }
        return $"TorchSharp's native libraries could not be loaded: {reason}";
    }
}
