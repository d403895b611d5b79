using Orleans.Hosting;

namespace SecureCompute.Silo.Security;

/// <summary>Mutual TLS for a cluster client (the console, tests): its own certificate; silos' certificates only.</summary>
public static class ClientTls
{
    /// <summary>Loads the three files, or returns null when none is named.</summary>
    /// <exception cref="TlsSetupException">Only some are named, or they fail the checks of <see cref="ConsortiumTls.Load"/>.</exception>
    public static ConsortiumTls? Load(string? certificate, string? key, string? authority)
    {
        string?[] files = { certificate, key, authority };
        if (files.All(string.IsNullOrWhiteSpace))
        {
            return null;
        }
        if (files.Any(string.IsNullOrWhiteSpace))
        {
            throw new TlsSetupException("TLS needs all of --tls-cert, --tls-key and --tls-ca (or none).");
        }
        foreach (string file in files!)
        {
            if (!File.Exists(file))
            {
                throw new TlsSetupException($"the file {Path.GetFullPath(file)} does not exist.");
            }
        }
        return ConsortiumTls.Load(certificate!, key!, authority!);
    }

    /// <summary>Turns on mutual TLS for <paramref name="client"/> (nothing when <paramref name="tls"/> is null): the gateway
    /// must present a party's or the dealer's certificate from the consortium's CA.</summary>
    public static void Apply(IClientBuilder client, ConsortiumTls? tls)
    {
        if (tls is not null)
        {
            client.UseTls(tls.Certificate, o => TlsSetup.Configure(o, tls, peer => peer.Role is ConsortiumRole.Party or ConsortiumRole.Dealer));
        }
    }
}
