using System.Security.Cryptography.X509Certificates;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Silo.Security;

namespace SecureCompute.Client.Tests;

/// <summary>The development `certs` command and the identity checks its certificates feed.</summary>
public sealed class CertsCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-certs-").FullName;

    [Fact]
    public void WritesACaAndOneCertificatePerMemberEachNamingItsIdentity()
    {
        int exit = CliApp.Build().Parse(new[] { "certs", "--out", folder, "--parties", "a,b,c", "--hosts", "silo.example.org,10.1.2.3" }).Invoke();
        Assert.Equal(0, exit);
        foreach (string name in new[] { "a", "b", "c", "dealer", "client", "client-a-operator", "client-b-operator", "client-c-operator" })
        {
            ConsortiumTls tls = ConsortiumTls.Load(Path.Combine(folder, name + ".crt"), Path.Combine(folder, name + ".key"), Path.Combine(folder, "ca.crt"));
            ConsortiumIdentity expected = name switch
            {
                "dealer" => ConsortiumIdentity.Dealer,
                "client" => ConsortiumIdentity.Client,
                _ when name.StartsWith("client-", StringComparison.Ordinal) => ConsortiumIdentity.ForOperator(new OperatorIdentity(name.Split('-')[1], "operator")),
                _ => ConsortiumIdentity.ForParty(name),
            };
            Assert.Equal(expected, tls.Identity);
            Assert.True(tls.Accepts(tls.Certificate));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, name + ".key")));
            }
        }
        using X509Certificate2 a = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(folder, "a.crt"));
        Assert.True(a.MatchesHostname("silo.example.org"));
        Assert.False(a.MatchesHostname("other.example.org"));
        // Client certificates name no host.
        using X509Certificate2 alice = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(folder, "client-a-operator.crt"));
        Assert.False(alice.MatchesHostname("localhost"));
    }

    [Fact]
    public void NamedOperatorsReplaceTheDefaultOnesAndTheBareClientStays()
    {
        int exit = Certs("--parties", "hospital-1,hospital-2", "--operators", "hospital-1:alice, hospital-2:bob.smith,hospital-1:carol");
        Assert.Equal(0, exit);
        foreach (var (file, party, name) in new[] { ("client-hospital-1-alice", "hospital-1", "alice"), ("client-hospital-2-bob.smith", "hospital-2", "bob.smith"), ("client-hospital-1-carol", "hospital-1", "carol") })
        {
            ConsortiumTls tls = ConsortiumTls.Load(Path.Combine(folder, file + ".crt"), Path.Combine(folder, file + ".key"), Path.Combine(folder, "ca.crt"));
            Assert.Equal(ConsortiumIdentity.ForOperator(new OperatorIdentity(party, name)), tls.Identity);
            Assert.Equal($"urn:securecompute:client:{party}:{name}", tls.Identity.Uri);
        }
        Assert.Equal(ConsortiumIdentity.Client, ConsortiumTls.Load(Path.Combine(folder, "client.crt"), Path.Combine(folder, "client.key"), Path.Combine(folder, "ca.crt")).Identity);
        Assert.False(File.Exists(Path.Combine(folder, "client-hospital-1-operator.crt")));
    }

    [Fact]
    public void AnotherCasCertificatesAreNotAccepted()
    {
        string ours = Path.Combine(folder, "ours");
        string theirs = Path.Combine(folder, "theirs");
        DevelopmentCertificates.Write(ours, new[] { "a" });
        DevelopmentCertificates.Write(theirs, new[] { "a" }, caName: "Foreign CA");
        ConsortiumTls tls = ConsortiumTls.Load(Path.Combine(ours, "a.crt"), Path.Combine(ours, "a.key"), Path.Combine(ours, "ca.crt"));
        using X509Certificate2 foreign = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(theirs, "a.crt"));
        Assert.False(tls.Accepts(foreign));
        Assert.False(tls.Accepts(null));
        // Loading a certificate under the wrong CA fails with a message naming the file.
        var error = Assert.Throws<TlsSetupException>(() => ConsortiumTls.Load(Path.Combine(theirs, "a.crt"), Path.Combine(theirs, "a.key"), Path.Combine(ours, "ca.crt")));
        Assert.Contains("is not valid under the CA", error.Message);
        // A key that is not the certificate's.
        Assert.Throws<TlsSetupException>(() => ConsortiumTls.Load(Path.Combine(ours, "a.crt"), Path.Combine(theirs, "a.key"), Path.Combine(ours, "ca.crt")));
    }

    [Theory]
    [InlineData("urn:securecompute:party:hospital-1", ConsortiumRole.Party, "hospital-1")]
    [InlineData("urn:securecompute:dealer", ConsortiumRole.Dealer, null)]
    [InlineData("urn:securecompute:client", ConsortiumRole.Client, null)]
    public void ParsesIdentities(string uri, ConsortiumRole role, string? party)
    {
        Assert.Equal(new ConsortiumIdentity(role, party), ConsortiumIdentity.Parse(uri));
        Assert.Equal(uri, ConsortiumIdentity.Parse(uri)!.Uri);
    }

    [Fact]
    public void ParsesAMembersClientOperator()
    {
        ConsortiumIdentity? identity = ConsortiumIdentity.Parse("urn:securecompute:client:hospital-1:alice");
        Assert.Equal(new ConsortiumIdentity(ConsortiumRole.Client, null, new OperatorIdentity("hospital-1", "alice")), identity);
        Assert.Equal("urn:securecompute:client:hospital-1:alice", identity!.Uri);
        Assert.Equal("client 'hospital-1:alice'", identity.ToString());
        Assert.Null(ConsortiumIdentity.Client.Operator);
        Assert.Equal("client", ConsortiumIdentity.Client.ToString());
    }

    [Theory]
    [InlineData("urn:securecompute:party:")]
    [InlineData("urn:securecompute:client:")]
    [InlineData("urn:securecompute:client:hospital-1")]
    [InlineData("urn:securecompute:client:hospital-1:")]
    [InlineData("urn:securecompute:client::alice")]
    [InlineData("urn:securecompute:client:hospital-1:alice:x")]
    [InlineData("urn:securecompute:client:hospital 1:alice")]
    [InlineData("urn:securecompute:client: hospital-1:alice")]
    [InlineData("urn:other:party:a")]
    [InlineData("urn:securecompute:admin")]
    public void RejectsOtherUris(string uri) => Assert.Null(ConsortiumIdentity.Parse(uri));

    [Theory]
    [InlineData("a,a", "named twice")]
    [InlineData("a,bad party", "letters, digits")]
    [InlineData("dealer", "overwrite")]
    public void BadPartyListsExitWithCode2(string parties, string expected)
    {
        var (exit, error) = CertsFailing("--parties", parties);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("a:alice,a:alice", "operator 'a:alice' is named twice")]
    [InlineData("c:alice", "belongs to 'c', which is not one of --parties")]
    [InlineData("alice", "must be party:name")]
    [InlineData("a:al ice", "must be party:name")]
    [InlineData("a:b:c", "must be party:name")]
    [InlineData(",", "--operators names no operator")]
    [InlineData("a-b:c,a:b-c", "operator 'a-b:c' and operator 'a:b-c' would both write client-a-b-c.crt")]
    public void BadOperatorListsExitWithCode2(string operators, string expected)
    {
        var (exit, error) = CertsFailing("--parties", "a,a-b,b", "--operators", operators);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void EveryProblemIsListedAtOnce()
    {
        var (exit, error) = CertsFailing("--parties", "a,a", "--operators", "x:alice,a:bob,a:bob,nonsense");
        Assert.Equal(2, exit);
        Assert.Contains("party id 'a' is named twice", error);
        Assert.Contains("operator 'x:alice' belongs to 'x'", error);
        Assert.Contains("operator 'a:bob' is named twice", error);
        Assert.Contains("operator 'nonsense' must be party:name", error);
        Assert.Equal(4, error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private int Certs(params string[] arguments) =>
        CliApp.Build().Parse(new[] { "certs", "--out", folder }.Concat(arguments).ToArray()).Invoke();

    /// <summary>Runs certs into a folder that must not be created; returns the exit code and what it wrote to stderr.</summary>
    private (int Exit, string Error) CertsFailing(params string[] arguments)
    {
        var error = new StringWriter();
        TextWriter previous = Console.Error;
        Console.SetError(error);
        int exit;
        try
        {
            exit = CliApp.Build().Parse(new[] { "certs", "--out", Path.Combine(folder, "bad") }.Concat(arguments).ToArray()).Invoke();
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.False(Directory.Exists(Path.Combine(folder, "bad")));
        return (exit, error.ToString());
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
