using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SecureCompute.Grains.Interfaces.Governance;

/// <summary>
/// A client's proof of who it is, made for one request: with TLS, its consortium client certificate and a signature by
/// that certificate's key over the request's purpose, subject and time (<see cref="Statement"/>); without TLS
/// (development only), a declared identity that only a silo without TLS believes.
/// </summary>
/// <remarks>
/// Orleans does not tell a grain which TLS connection (and so which client certificate) a call came over, so the
/// identity travels with the call — as a signature the silo checks against the consortium CA, never as a bare claim.
/// A credential is bound to one purpose and subject and is fresh for <see cref="MaxAge"/>: replaying it can only
/// repeat the same request on the same subject within minutes.
/// </remarks>
/// <param name="Purpose">What the request does (<see cref="ClientPurpose"/>).</param>
/// <param name="Subject">What it concerns: a session id, or a party id.</param>
/// <param name="IssuedAt">When the client made it (UTC).</param>
/// <param name="Certificate">The client's certificate (DER); empty without TLS.</param>
/// <param name="Signature">The signature over <see cref="Statement"/>; empty without TLS.</param>
/// <param name="Declared">Without TLS: the identity the client declares (<c>party:name</c>), believed only there.</param>
[GenerateSerializer, Immutable, Alias("SecureCompute.ClientCredential")]
public sealed record ClientCredential(
    [property: Id(0)] ClientPurpose Purpose,
    [property: Id(1)] string Subject,
    [property: Id(2)] DateTimeOffset IssuedAt,
    [property: Id(3)] byte[] Certificate,
    [property: Id(4)] byte[] Signature,
    [property: Id(5)] string? Declared)
{
    /// <summary>How long a credential counts (either side of the silo's clock).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>The bytes a client signs.</summary>
    public static byte[] Statement(ClientPurpose purpose, string subject, DateTimeOffset issuedAt) =>
        Encoding.UTF8.GetBytes($"securecompute client request\n{purpose}\n{subject}\n{issuedAt.UtcDateTime:O}");

    /// <summary>A credential signed with <paramref name="certificate"/>'s private key (ECDSA or RSA, SHA-256).</summary>
    public static ClientCredential Signed(ClientPurpose purpose, string subject, X509Certificate2 certificate)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        byte[] text = Statement(purpose, subject, now);
        byte[] signature = CertificateSignature.Sign(certificate, text);
        return new ClientCredential(purpose, subject, now, certificate.RawData, signature, null);
    }

    /// <summary>A declared identity (no TLS; development only), or an anonymous one when <paramref name="declared"/> is null.</summary>
    public static ClientCredential Declaring(ClientPurpose purpose, string subject, OperatorIdentity? declared) =>
        new(purpose, subject, DateTimeOffset.UtcNow, Array.Empty<byte>(), Array.Empty<byte>(), declared?.ToString());
}

/// <summary>What a client request does; a credential made for one purpose counts for no other.</summary>
public enum ClientPurpose
{
    /// <summary>Start a session.</summary>
    Start,

    /// <summary>Observe a session's progress (the released losses only to its starter and its parties' operators).</summary>
    Observe,

    /// <summary>Cancel a session.</summary>
    Cancel,

    /// <summary>Approve a session for the operator's party.</summary>
    Approve,

    /// <summary>Reject a session for the operator's party.</summary>
    Reject,

    /// <summary>List what awaits the operator's party's decision.</summary>
    ListPending,

    /// <summary>Fetch a result the operator is a named recipient of.</summary>
    FetchResult,

    /// <summary>Export the party's audit trail.</summary>
    ExportAudit,

    /// <summary>Show the party's privacy budget ledger.</summary>
    ShowBudget,
}
