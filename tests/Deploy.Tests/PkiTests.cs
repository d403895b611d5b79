using SecureCompute.Silo.Options;
using SecureCompute.Silo.Security;

namespace SecureCompute.Deploy.Tests;

/// <summary>
/// deploy/pki (the production way to make the consortium's certificates: each member keeps its key, the CA operator
/// signs requests) yields certificates the silo accepts for exactly the identity the CA operator chose.
/// </summary>
public sealed class PkiTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("securecompute-pki-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void Issued_certificates_load_with_their_identity_and_only_under_their_CA()
    {
        Script("new-ca.sh", "ca");
        foreach (var (identity, expected) in new[]
                 {
                     ("party:hospital-1", ConsortiumIdentity.ForParty("hospital-1")),
                     ("dealer", ConsortiumIdentity.Dealer),
                     ("client", ConsortiumIdentity.Client),
                 })
        {
            string member = Path.Combine(_dir, identity.Replace(':', '-'));
            Script("request.sh", identity, member);
            string name = identity.StartsWith("party:", StringComparison.Ordinal) ? identity[6..] : identity;
            Script("sign.sh", "ca", Path.Combine(member, name + ".csr"), identity, Path.Combine(member, "tls.crt"));
            ConsortiumTls tls = ConsortiumTls.Load(Path.Combine(member, "tls.crt"), Path.Combine(member, "tls.key"), Path.Combine(_dir, "ca", "ca.crt"));
            Assert.Equal(expected, tls.Identity);
        }
        Script("new-ca.sh", "other-ca");
        string h1 = Path.Combine(_dir, "party-hospital-1");
        Assert.Throws<TlsSetupException>(() => ConsortiumTls.Load(Path.Combine(h1, "tls.crt"), Path.Combine(h1, "tls.key"), Path.Combine(_dir, "other-ca", "ca.crt")));
    }

    [SkippableFact]
    public void The_CA_operator_not_the_request_decides_the_identity_and_the_silo_checks_it()
    {
        Script("new-ca.sh", "ca");
        string member = Path.Combine(_dir, "m");
        Script("request.sh", "party:hospital-1", member);
        // Signed for hospital-2 although hospital-1 asked: the certificate names hospital-2.
        Script("sign.sh", "ca", Path.Combine(member, "hospital-1.csr"), "party:hospital-2", Path.Combine(member, "tls.crt"));
        string data = Path.Combine(_dir, "party.csv");
        File.WriteAllText(data, "x,y\n1,0\n");
        var options = new SiloHostOptions
        {
            Party = new PartyOptions { Id = "hospital-1", DataFile = data },
            Tls = new TlsOptions { Certificate = Path.Combine(member, "tls.crt"), Key = Path.Combine(member, "tls.key"), Authority = Path.Combine(_dir, "ca", "ca.crt") },
        };
        Assert.Contains(SiloHostOptionsValidator.Problems(options), p => p.Contains("a silo may serve only the party its certificate names", StringComparison.Ordinal));
        options.Party.Id = "hospital-2";
        Assert.Empty(SiloHostOptionsValidator.Problems(options));
    }

    private void Script(string script, params string[] arguments)
    {
        Skip.If(Which("openssl") is null || Which("bash") is null, "openssl or bash is not on PATH: deploy/pki was NOT exercised");
        var (exit, output, error) = Tools.Run(Which("bash")!, [Path.Combine(RepositoryPaths.Root, "deploy", "pki", script), .. arguments], workingDirectory: _dir);
        Assert.True(exit == 0, $"{script} {string.Join(' ', arguments)} failed ({exit}): {output}{error}");
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
