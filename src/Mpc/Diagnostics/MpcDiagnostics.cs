using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SecureCompute.Mpc.Diagnostics;

/// <summary>
/// The one place that names SecureCompute's <see cref="ActivitySource"/>, <see cref="Meter"/>, span, instruments and tags.
/// </summary>
/// <remarks>
/// Tags carry public metadata only — session, round index, operation, element and byte counts, party count — never a
/// share, a datum or an unreleased weight. Exporters subscribe by <see cref="SourceName"/>.
/// </remarks>
public static class MpcDiagnostics
{
    /// <summary>Name of the activity source and the meter.</summary>
    public const string SourceName = "SecureCompute.Mpc";

    /// <summary>Name of the coordinator's span of one protocol round (first message → open).</summary>
    public const string RoundSpan = "mpc.round";

    /// <summary>A party's side of one round (its begin, wait for the open, finish): in a deployment a child of the party's run.</summary>
    public const string PartyRoundSpan = "mpc.party.round";

    /// <summary>One party's whole run in a deployment: the parent of its <see cref="PartyRoundSpan"/>s.</summary>
    public const string PartySpan = "mpc.party";

    /// <summary>A whole session at the coordinator: the parent of its rounds.</summary>
    public const string SessionSpan = "mpc.session";

    /// <summary>Tag: the party index, on party-side spans.</summary>
    public const string PartyTag = "mpc.party";

    /// <summary>Tag: the session id.</summary>
    public const string SessionTag = "mpc.session";

    /// <summary>Tag: the round's index in its session, from 0.</summary>
    public const string RoundIndexTag = "mpc.round.index";

    /// <summary>Tag: the operation (<c>ProtocolOp</c>).</summary>
    public const string OperationTag = "mpc.op";

    /// <summary>Tag: ring elements opened per party message.</summary>
    public const string ElementsTag = "mpc.elements";

    /// <summary>Tag: bytes moved by the open (all parties, both directions).</summary>
    public const string BytesTag = "mpc.bytes";

    /// <summary>Tag: number of parties.</summary>
    public const string PartiesTag = "mpc.parties";

    /// <summary>Tag: the kind of dealer material, on <see cref="MaterialUsed"/>.</summary>
    public const string MaterialTag = "mpc.material";

    /// <summary>The activity source of protocol rounds.</summary>
    public static readonly ActivitySource ActivitySource = new(SourceName, "1.0");

    /// <summary>The meter of protocol costs.</summary>
    public static readonly Meter Meter = new(SourceName, "1.0");

    /// <summary>Rounds run.</summary>
    public static readonly Counter<long> Rounds = Meter.CreateCounter<long>("mpc.rounds", "{round}", "Protocol rounds (opens).");

    /// <summary>Bytes moved by opens.</summary>
    public static readonly Counter<long> BytesOpened = Meter.CreateCounter<long>("mpc.bytes_opened", "By", "Bytes moved by opens, all parties, both directions.");

    /// <summary>Pieces of dealer material consumed (triples, pairs, edaBits, daBits, truncation material).</summary>
    public static readonly Counter<long> MaterialUsed = Meter.CreateCounter<long>("mpc.triples_used", "{piece}", "Pieces of dealer material consumed.");

    /// <summary>Round latency.</summary>
    public static readonly Histogram<double> RoundDuration = Meter.CreateHistogram<double>("mpc.round.duration", "ms", "Latency of one round at its coordinator, first message to open.");

    /// <summary>Grain calls refused at the authorization boundary (tag <see cref="MethodTag"/>).</summary>
    public static readonly Counter<long> CallsRefused = Meter.CreateCounter<long>("securecompute.calls_refused", "{call}", "Grain calls refused at the authorization boundary.");

    /// <summary>The refused method (interface.method) on <see cref="CallsRefused"/>.</summary>
    public const string MethodTag = "securecompute.method";
}
