using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCompute.Grains.Audit;

namespace SecureCompute.Client.Audit;

/// <summary>
/// <c>audit verify FILE [--ca CA.pem]</c>: checks an exported trail. Exit 0 when it holds, 1 at the first bad line
/// (printed with its number and why), 2 when the file or the CA cannot be read.
/// </summary>
internal static class AuditVerifyCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The exported trail (JSON lines)." };
        var ca = new Option<FileInfo>("--ca") { Description = "The consortium's CA certificate (PEM or DER): the trail must be signed by a certificate it issued that names the party." };
        var command = new Command("verify", "Verify an exported audit trail: chain, signatures and signed head; with --ca, also who signed it.")
        {
            file, ca,
        };
        command.SetAction(result => Run(result.GetValue(file)!, result.GetValue(ca)));
        return command;
    }

    /// <summary>Verifies <paramref name="file"/> and prints one line; returns the exit code.</summary>
    public static int Run(FileInfo file, FileInfo? caFile)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot read {file.FullName} ({e.GetType().Name}).");
            return 2;
        }
        X509Certificate2? ca = null;
        if (caFile is not null)
        {
            try
            {
                ca = X509CertificateLoader.LoadCertificateFromFile(caFile.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                Console.Error.WriteLine($"error: cannot read the CA certificate {caFile.FullName} ({e.GetType().Name}).");
                return 2;
            }
        }
        using (ca)
        {
            AuditVerification result = AuditVerifier.Verify(lines, ca);
            if (!result.Ok)
            {
                Console.Error.WriteLine($"error: line {result.Line}: {result.Reason}");
                return 1;
            }
            Console.WriteLine($"ok: {result.Entries} entries, party {result.Party}, head signed at {AuditJson.FormatTime(result.HeadTime!.Value)}");
            return 0;
        }
    }
}
