using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Silo.Security;

namespace SecureCompute.Client.Tests;

/// <summary>
/// A silo's check of a client's request credential (<see cref="TlsCredentials.VerifyClient"/>): only a fresh signature,
/// for this purpose and subject, by an operator certificate of the consortium's CA, names an operator.
/// </summary>
public sealed class ClientCredentialVerificationTests : IDisposable
{
    private static readonly OperatorIdentity Alice = new("a", "alice");

    private readonly string folder = Directory.CreateTempSubdirectory("securecompute-credentials-").FullName;
    private readonly TlsCredentials silo;

    public ClientCredentialVerificationTests()
    {
        DevelopmentCertificates.Write(Path.Combine(folder, "ours"), new[] { "a", "b" }, operators: new[] { Alice, new OperatorIdentity("b", "operator") });
        DevelopmentCertificates.Write(Path.Combine(folder, "theirs"), new[] { "a" }, caName: "Foreign CA", operators: new[] { Alice });
        silo = new TlsCredentials(ConsortiumTls.Load(Ours("b.crt"), Ours("b.key"), Ours("ca.crt")));
    }

    [Fact]
    public void A_fresh_signature_by_an_operator_certificate_names_the_operator()
    {
        using X509Certificate2 alice = Load("ours", "client-a-alice");
        ClientCredential credential = ClientCredential.Signed(ClientPurpose.Start, "session-1", alice);
        Assert.Equal(Alice, silo.VerifyClient(credential, ClientPurpose.Start, "session-1", DateTimeOffset.UtcNow));
        // Within MaxAge either side of the silo's clock.
        Assert.Equal(Alice, silo.VerifyClient(credential, ClientPurpose.Start, "session-1", credential.IssuedAt + ClientCredential.MaxAge));
        Assert.Equal(Alice, silo.VerifyClient(credential, ClientPurpose.Start, "session-1", credential.IssuedAt - ClientCredential.MaxAge));
    }

    [Fact]
    public void An_RSA_operator_certificate_works_too()
    {
        using X509Certificate2 ca = X509Certificate2.CreateFromPemFile(Ours("ca.crt"), Ours("ca.key"));
        using ECDsa caKey = ca.GetECDsaPrivateKey()!;
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=bob", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri("urn:securecompute:client:b:bob"));
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1), new byte[] { 1, 2, 3, 4 });
        using X509Certificate2 bob = issued.CopyWithPrivateKey(key);
        ClientCredential credential = ClientCredential.Signed(ClientPurpose.Approve, "session-2", bob);
        Assert.Equal(new OperatorIdentity("b", "bob"), silo.VerifyClient(credential, ClientPurpose.Approve, "session-2", DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_credential_for_another_purpose_or_subject_names_no_one()
    {
        using X509Certificate2 alice = Load("ours", "client-a-alice");
        ClientCredential credential = ClientCredential.Signed(ClientPurpose.Approve, "session-1", alice);
        Assert.Null(silo.VerifyClient(credential, ClientPurpose.Reject, "session-1", DateTimeOffset.UtcNow));
        Assert.Null(silo.VerifyClient(credential, ClientPurpose.Approve, "session-2", DateTimeOffset.UtcNow));
        Assert.Null(silo.VerifyClient(credential, ClientPurpose.Approve, "SESSION-1", DateTimeOffset.UtcNow));
        // Relabelled: the claimed purpose or subject changed, the signature is over the old ones.
        Assert.Null(silo.VerifyClient(credential with { Purpose = ClientPurpose.Reject }, ClientPurpose.Reject, "session-1", DateTimeOffset.UtcNow));
        Assert.Null(silo.VerifyClient(credential with { Subject = "session-2" }, ClientPurpose.Approve, "session-2", DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_stale_or_future_credential_names_no_one()
    {
        using X509Certificate2 alice = Load("ours", "client-a-alice");
        ClientCredential credential = ClientCredential.Signed(ClientPurpose.Start, "s", alice);
        TimeSpan beyond = ClientCredential.MaxAge + TimeSpan.FromSeconds(1);
        Assert.Null(silo.VerifyClient(credential, ClientPurpose.Start, "s", credential.IssuedAt + beyond));
        Assert.Null(silo.VerifyClient(credential, ClientPurpose.Start, "s", credential.IssuedAt - beyond));
        // Moving IssuedAt to look fresh breaks the signature.
        DateTimeOffset later = credential.IssuedAt + TimeSpan.FromMinutes(10);
        Assert.Null(silo.VerifyClient(credential with { IssuedAt = later }, ClientPurpose.Start, "s", later));
    }

    [Fact]
    public void A_tampered_signature_or_a_swapped_certificate_names_no_one()
    {
        using X509Certificate2 alice = Load("ours", "client-a-alice");
        using X509Certificate2 operatorOfB = Load("ours", "client-b-operator");
        ClientCredential credential = ClientCredential.Signed(ClientPurpose.FetchResult, "s", alice);
        byte[] flipped = (byte[])credential.Signature.Clone();
        flipped[flipped.Length / 2] ^= 0x01;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Assert.Null(silo.VerifyClient(credential with { Signature = flipped }, ClientPurpose.FetchResult, "s", now));
        Assert.Null(silo.VerifyClient(credential with { Signature = Array.Empty<byte>() }, ClientPurpose.FetchResult, "s", now));
        Assert.Null(silo.VerifyClient(credential with { Signature = new byte[7] }, ClientPurpose.FetchResult, "s", now));
        // Alice's signature presented with another operator's certificate.
        Assert.Null(silo.VerifyClient(credential with { Certificate = operatorOfB.RawData }, ClientPurpose.FetchResult, "s", now));
        Assert.Null(silo.VerifyClient(credential with { Certificate = new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 } }, ClientPurpose.FetchResult, "s", now));
        // A credential without TLS material (a declared identity) proves nothing here.
        Assert.Null(silo.VerifyClient(ClientCredential.Declaring(ClientPurpose.FetchResult, "s", Alice), ClientPurpose.FetchResult, "s", now));
    }

    [Fact]
    public void Another_CAs_operator_certificate_names_no_one()
    {
        using X509Certificate2 foreignAlice = Load("theirs", "client-a-alice");
        ClientCredential credential = ClientCredential.Signed(ClientPurpose.Start, "s", foreignAlice);
        Assert.Null(silo.VerifyClient(credential, ClientPurpose.Start, "s", DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("dealer")]
    [InlineData("client")]
    public void A_party_dealer_or_bare_client_certificate_names_no_operator(string member)
    {
        using X509Certificate2 certificate = Load("ours", member);
        ClientCredential credential = ClientCredential.Signed(ClientPurpose.ExportAudit, "a", certificate);
        Assert.Null(silo.VerifyClient(credential, ClientPurpose.ExportAudit, "a", DateTimeOffset.UtcNow));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Ours(string file) => Path.Combine(folder, "ours", file);

    private X509Certificate2 Load(string ca, string name) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(folder, ca, name + ".crt"), Path.Combine(folder, ca, name + ".key"));
}
