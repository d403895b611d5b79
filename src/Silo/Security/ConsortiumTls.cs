using System.Security.Cryptography.X509Certificates;

namespace SecureCompute.Silo.Security;

/// <summary>
/// A member's TLS material: its certificate with key and the consortium's CA. Every connection is mutual TLS; a peer
/// is accepted only if its certificate chains to this CA (and to no other root) and names a consortium identity.
/// </summary>
public sealed class ConsortiumTls
{
    private ConsortiumTls(X509Certificate2 certificate, X509Certificate2 authority, ConsortiumIdentity identity)
    {
        Certificate = certificate;
        Authority = authority;
        Identity = identity;
    }

    /// <summary>This member's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The consortium's CA certificate.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>Who this member's certificate says it is.</summary>
    public ConsortiumIdentity Identity { get; }

    /// <summary>
    /// Loads PEM files and checks them: the certificate has its key, chains to the CA, is valid now and names an identity.
    /// </summary>
    /// <exception cref="TlsSetupException">A file is missing or unreadable, or a check fails (the message says which).</exception>
    public static ConsortiumTls Load(string certificateFile, string keyFile, string authorityFile)
    {
        X509Certificate2 certificate;
        X509Certificate2 authority;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new TlsSetupException($"the certificate '{certificateFile}' with key '{keyFile}' could not be loaded ({e.GetType().Name}: {e.Message.Split('\n')[0]}).");
        }
        try
        {
            authority = X509CertificateLoader.LoadCertificateFromFile(authorityFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new TlsSetupException($"the CA certificate '{authorityFile}' could not be loaded ({e.GetType().Name}).");
        }
        if (!certificate.HasPrivateKey)
        {
            throw new TlsSetupException($"'{keyFile}' is not the private key of '{certificateFile}'.");
        }
        if (!ChainsTo(certificate, authority, out string problem))
        {
            throw new TlsSetupException($"the certificate '{certificateFile}' is not valid under the CA '{authorityFile}': {problem}.");
        }
        ConsortiumIdentity identity = ConsortiumIdentity.Of(certificate)
            ?? throw new TlsSetupException($"the certificate '{certificateFile}' names no consortium identity (a subject alternative name {ConsortiumIdentity.Prefix}party:<id>, …dealer, …client:<party>:<name> or …client).");
        return new ConsortiumTls(certificate, authority, identity);
    }

    /// <summary>
    /// Whether a peer's certificate is acceptable: chains to the consortium CA only and names an identity (a party, the
    /// dealer, a member's client operator or a client of no member).
    /// </summary>
    public bool Accepts(X509Certificate2? peer) => peer is not null && ChainsTo(peer, Authority, out _) && ConsortiumIdentity.Of(peer) is not null;

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="authority"/> as its only trusted root, valid now.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 authority, out string problem)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = DateTime.Now;
        if (!chain.Build(certificate))
        {
            problem = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("no chain"));
            return false;
        }
        X509Certificate2 root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span))
        {
            problem = "it chains to another root";
            return false;
        }
        problem = "";
        return true;
    }
}

/// <summary>TLS settings that cannot work; the message says which file and why.</summary>
public sealed class TlsSetupException(string message) : Exception(message);
