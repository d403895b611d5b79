using System.Security.Cryptography.X509Certificates;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Silo.Options;
using SecureCompute.Silo.Security;

namespace SecureCompute.Deploy.Tests;

/// <summary>
/// deploy/pki (the production way to make the consortium's certificates: each member keeps its key, the CA operator
/// signs requests) yields certificates the silo accepts for exactly the identity the CA operator chose.
/// </summary>
public sealed class PkiTests : IDisposable
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

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
                     ("client:hospital-1:alice", ConsortiumIdentity.ForOperator(new OperatorIdentity("hospital-1", "alice"))),
                     ("client:hospital-2:bob.smith", ConsortiumIdentity.ForOperator(new OperatorIdentity("hospital-2", "bob.smith"))),
                     ("client", ConsortiumIdentity.Client),
                 })
        {
            string member = Path.Combine(_dir, identity.Replace(':', '-'));
            Script("request.sh", identity, member);
            Script("sign.sh", "ca", Path.Combine(member, RequestName(identity) + ".csr"), identity, Path.Combine(member, "tls.crt"));
            ConsortiumTls tls = ConsortiumTls.Load(Path.Combine(member, "tls.crt"), Path.Combine(member, "tls.key"), Path.Combine(_dir, "ca", "ca.crt"));
            Assert.Equal(expected, tls.Identity);
            // Silos' certificates serve (Redis too, with the dealer's) and connect; clients' only connect.
            var usages = tls.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()
                .Select(o => o.Value).Order().ToList();
            string[] want = expected.Role == ConsortiumRole.Client ? [ClientAuth] : [ServerAuth, ClientAuth];
            Assert.Equal(want.Order(), usages);
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

    [SkippableFact]
    public void The_CA_operator_decides_which_members_operator_a_client_certificate_names()
    {
        Script("new-ca.sh", "ca");
        string member = Path.Combine(_dir, "alice");
        Script("request.sh", "client:hospital-1:alice", member);
        Assert.True(File.Exists(Path.Combine(member, "client-hospital-1-alice.csr")));
        // alice asked as hospital-1's operator; the CA operator issued it as hospital-2's: the certificate says hospital-2.
        Script("sign.sh", "ca", Path.Combine(member, "client-hospital-1-alice.csr"), "client:hospital-2:alice", Path.Combine(member, "tls.crt"));
        ConsortiumTls tls = ConsortiumTls.Load(Path.Combine(member, "tls.crt"), Path.Combine(member, "tls.key"), Path.Combine(_dir, "ca", "ca.crt"));
        Assert.Equal(new OperatorIdentity("hospital-2", "alice"), tls.Identity.Operator);
    }

    [SkippableTheory]
    [InlineData("client:hospital-1")]
    [InlineData("client:hospital-1:")]
    [InlineData("client::alice")]
    [InlineData("client:hospital-1:alice:x")]
    [InlineData("client:hospital 1:alice")]
    [InlineData("client:hospital-1:al/ice")]
    [InlineData("operator:hospital-1:alice")]
    public void Malformed_operator_identities_are_refused_by_both_scripts(string identity)
    {
        Script("new-ca.sh", "ca");
        Script("request.sh", "client:hospital-1:alice", "alice");
        string csr = Path.Combine(_dir, "alice", "client-hospital-1-alice.csr");
        var (requestExit, _, requestError) = Run("request.sh", identity, Path.Combine(_dir, "other"));
        Assert.Equal(2, requestExit);
        Assert.Contains("error:", requestError);
        Assert.False(File.Exists(Path.Combine(_dir, "other", "tls.key")));
        var (signExit, _, signError) = Run("sign.sh", "ca", csr, identity, Path.Combine(_dir, "out.crt"));
        Assert.Equal(2, signExit);
        Assert.Contains("error:", signError);
        Assert.False(File.Exists(Path.Combine(_dir, "out.crt")));
    }

    /// <summary>The request's file name as request.sh writes it: the party id, dealer, client-&lt;party&gt;-&lt;name&gt; or client.</summary>
    private static string RequestName(string identity) => identity switch
    {
        _ when identity.StartsWith("party:", StringComparison.Ordinal) => identity["party:".Length..],
        _ when identity.StartsWith("client:", StringComparison.Ordinal) => "client-" + identity["client:".Length..].Replace(':', '-'),
        _ => identity,
    };

    private void Script(string script, params string[] arguments)
    {
        var (exit, output, error) = Run(script, arguments);
        Assert.True(exit == 0, $"{script} {string.Join(' ', arguments)} failed ({exit}): {output}{error}");
    }

    private (int Exit, string Output, string Error) Run(string script, params string[] arguments)
    {
        Skip.If(Which("openssl") is null || Which("bash") is null, "openssl or bash is not on PATH: deploy/pki was NOT exercised");
        return Tools.Run(Which("bash")!, [Path.Combine(RepositoryPaths.Root, "deploy", "pki", script), .. arguments], workingDirectory: _dir);
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
