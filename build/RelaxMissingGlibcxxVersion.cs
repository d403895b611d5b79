using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>Marks one libstdc++ version requirement of an ELF64 library weak, if the system's libstdc++ lacks it.</summary>
public sealed class RelaxMissingGlibcxxVersion : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>The library whose .gnu.version_r section is patched in place.</summary>
    [Required] public string Library { get; set; } = "";

    /// <summary>The version name to relax, e.g. GLIBCXX_3.4.32.</summary>
    [Required] public string Version { get; set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        string system = FindSystemLibStdCxx();
        if (system is null)
        {
            Log.LogMessage(MessageImportance.Low, "No system libstdc++.so.6 found; {0} left as is.", Library);
            return true;
        }
        if (Contains(File.ReadAllBytes(system), Encoding.ASCII.GetBytes(Version + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, "{0} defines {1}; {2} left as is.", system, Version, Library);
            return true;
        }
        byte[] elf = File.ReadAllBytes(Library);
        int patched = MarkWeak(elf, Version, out string problem);
        if (problem is not null)
        {
            Log.LogWarning("{0}: {1}; TorchSharp may fail to load (see README, 'Native libraries on Debian 12').", Library, problem);
            return true;
        }
        if (patched > 0)
        {
            string temp = Library + ".tmp";
            File.WriteAllBytes(temp, elf);
            File.Copy(temp, Library, true);
            File.Delete(temp);
            Log.LogMessage(MessageImportance.High,
                "{0}: {1} is not defined by {2}; marked the requirement weak (see README, 'Native libraries on Debian 12').",
                Path.GetFileName(Library), Version, system);
        }
        return true;
    }

    private static int MarkWeak(byte[] elf, string version, out string problem)
    {
        problem = null;
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            problem = "not a little-endian ELF64 file";
            return 0;
        }
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int patched = 0;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed)
            {
                continue;
            }
            long offset = BitConverter.ToInt64(elf, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 40);
            int count = (int)BitConverter.ToUInt32(elf, (int)sh + 44);
            long strtab = BitConverter.ToInt64(elf, (int)(shoff + (long)link * shentsize) + 24);
            long need = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    long name = strtab + BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadCString(elf, name) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlagWeak) == 0)
                        {
                            BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, (int)aux + 4);
                            patched++;
                        }
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        return patched;
    }

    private static string ReadCString(byte[] data, long start)
    {
        long end = start;
        while (end < data.Length && data[end] != 0)
        {
            end++;
        }
        return Encoding.ASCII.GetString(data, (int)start, (int)(end - start));
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }
            if (j == needle.Length)
            {
                return true;
            }
        }
        return false;
    }

    private static string FindSystemLibStdCxx()
    {
        try
        {
            var info = new ProcessStartInfo("ldconfig", "-p") { RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(info);
            if (process is not null)
            {
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                foreach (string line in output.Split('\n'))
                {
                    int arrow = line.IndexOf("=> ", StringComparison.Ordinal);
                    if (line.TrimStart().StartsWith("libstdc++.so.6 ", StringComparison.Ordinal) && line.Contains("x86-64") == Environment.Is64BitOperatingSystem && arrow > 0)
                    {
                        return line.Substring(arrow + 3).Trim();
                    }
                }
            }
        }
        catch (Exception)
        {
            // ldconfig missing (e.g. a minimal container): fall through to the usual locations.
        }
        foreach (string candidate in new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
