using Orleans.Runtime;

namespace SecureCompute.Grains.Authorization;

/// <summary>What kind of caller a grain call came from, as Orleans' message says.</summary>
public enum CallSourceKind
{
    /// <summary>A client outside the cluster (through a gateway), or a caller Orleans did not name.</summary>
    Client,

    /// <summary>Code on a silo outside any grain — e.g. a party's worker thread; the silo is known.</summary>
    Silo,

    /// <summary>A grain; its type and key say which role it plays (placement decides where it runs).</summary>
    Grain,
}

/// <summary>
/// The source of one grain call, read from Orleans' call context (<see cref="IGrainCallContext.SourceId"/>), never
/// from an argument: an external client's calls carry its client id; code on a silo outside a grain sends as that
/// silo's hosted client (<c>hosted-&lt;silo address&gt;</c>); a grain's calls carry the grain's id.
/// </summary>
/// <param name="Kind">Client, silo or grain.</param>
/// <param name="Silo">The calling silo (kind <see cref="CallSourceKind.Silo"/>).</param>
/// <param name="Grain">The calling grain (kind <see cref="CallSourceKind.Grain"/>).</param>
public sealed record CallSource(CallSourceKind Kind, SiloAddress? Silo, GrainId? Grain)
{
    private const string HostedPrefix = "hosted-";

    /// <summary>A client (or an unnamed caller).</summary>
    public static CallSource Client { get; } = new(CallSourceKind.Client, null, null);

    /// <summary>Classifies <paramref name="source"/>; a hosted-client id counts as a silo only if <paramref name="isMember"/> says that silo is in the cluster.</summary>
    public static CallSource Of(GrainId? source, Func<SiloAddress, bool> isMember)
    {
        if (source is not { } id)
        {
            return Client;
        }
        if (id.IsClient())
        {
            string key = id.Key.ToString();
            if (key.StartsWith(HostedPrefix, StringComparison.Ordinal))
            {
                try
                {
                    SiloAddress silo = SiloAddress.FromParsableString(key[HostedPrefix.Length..]);
                    return isMember(silo) ? new CallSource(CallSourceKind.Silo, silo, null) : Client;
                }
                catch (FormatException)
                {
                    return Client;
                }
            }
            return Client;
        }
        return new CallSource(CallSourceKind.Grain, null, id);
    }

    /// <summary>The caller in words, for refusals (no key beyond the grain type).</summary>
    public string Describe(Func<GrainType, string> typeName) => Kind switch
    {
        CallSourceKind.Client => "a client",
        CallSourceKind.Silo => "code on a silo outside the session's grains",
        _ => $"a {typeName(Grain!.Value.Type)} grain",
    };
}
