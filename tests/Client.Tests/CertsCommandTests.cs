using System.Security.Cryptography.X509Certificates;
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
        foreach (string name in new[] { "a", "b", "c", "dealer", "client" })
        {
            ConsortiumTls tls = ConsortiumTls.Load(Path.Combine(folder, name + ".crt"), Path.Combine(folder, name + ".key"), Path.Combine(folder, "ca.crt"));
            ConsortiumIdentity expected = name switch
            {
                "dealer" => ConsortiumIdentity.Dealer,
                "client" => ConsortiumIdentity.Client,
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

    [Theory]
    [InlineData("urn:securecompute:party:")]
    [InlineData("urn:other:party:a")]
    [InlineData("urn:securecompute:admin")]
    public void RejectsOtherUris(string uri) => Assert.Null(ConsortiumIdentity.Parse(uri));

    [Theory]
    [InlineData("a,a", "named twice")]
    [InlineData("a,bad party", "letters, digits")]
    [InlineData("dealer", "overwrite")]
    public void BadPartyListsExitWithCode2(string parties, string expected)
    {
        var error = new StringWriter();
        TextWriter previous = Console.Error;
        Console.SetError(error);
        int exit;
        try
        {
            exit = CliApp.Build().Parse(new[] { "certs", "--out", Path.Combine(folder, "bad"), "--parties", parties }).Invoke();
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Equal(2, exit);
        Assert.Contains(expected, error.ToString());
        Assert.False(Directory.Exists(Path.Combine(folder, "bad")));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
