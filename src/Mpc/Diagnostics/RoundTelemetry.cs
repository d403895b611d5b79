using System.Diagnostics;
using SecureCompute.Mpc.Dealer;

namespace SecureCompute.Mpc.Diagnostics;

/// <summary>
/// The one place that records a round's spans and metrics: the coordinator's (<see cref="MpcDiagnostics.RoundSpan"/>,
/// rounds, bytes, latency) — written by the simulator's and the deployment's coordinator alike — and a party's side
/// (<see cref="MpcDiagnostics.PartyRoundSpan"/>), written by every engine.
/// </summary>
/// <remarks>Every tag is public metadata: session, round index, operation, element and byte counts, party count and index.</remarks>
public static class RoundTelemetry
{
    /// <summary>Bytes an open moves: each party's message up and the opened value down to each party, 8 bytes per ring element.</summary>
    public static long BytesOf(long elements, int parties) => parties * 2 * elements * sizeof(long);

    /// <summary>Starts the coordinator's span of one round under <paramref name="parent"/> (the current activity by default); null when nobody listens.</summary>
    public static Activity? StartRound(ActivityContext parent = default) =>
        MpcDiagnostics.ActivitySource.StartActivity(MpcDiagnostics.RoundSpan, ActivityKind.Internal, parent);

    /// <summary>Tags and stops the coordinator's span of a round and adds the round to the metrics.</summary>
    /// <param name="span">The span from <see cref="StartRound"/> (may be null).</param>
    /// <param name="session">The session id.</param>
    /// <param name="round">The round's index.</param>
    /// <param name="operation">The operation's name.</param>
    /// <param name="elements">Ring elements in one party's message (all parts of it).</param>
    /// <param name="parties">Number of parties.</param>
    /// <param name="duration">From the round's first message to its open.</param>
    public static void Complete(Activity? span, string session, long round, string operation, long elements, int parties, TimeSpan duration)
    {
        long bytes = BytesOf(elements, parties);
        Tag(span, session, round, operation, elements, bytes, parties);
        span?.Stop();
        var tags = new TagList { { MpcDiagnostics.SessionTag, session }, { MpcDiagnostics.OperationTag, operation } };
        MpcDiagnostics.Rounds.Add(1, tags);
        MpcDiagnostics.BytesOpened.Add(bytes, tags);
        MpcDiagnostics.RoundDuration.Record(duration.TotalMilliseconds, new TagList { { MpcDiagnostics.SessionTag, session } });
    }

    /// <summary>Starts party <paramref name="party"/>'s span of one round as a child of the current activity, leaving the current activity as it was (an engine hosting several parties starts one per party).</summary>
    public static Activity? StartPartyRound(int party)
    {
        Activity? current = Activity.Current;
        Activity? span = MpcDiagnostics.ActivitySource.StartActivity(MpcDiagnostics.PartyRoundSpan);
        span?.SetTag(MpcDiagnostics.PartyTag, party);
        Activity.Current = current;
        return span;
    }

    /// <summary>Tags and stops a party's span of a round once its open is sized.</summary>
    public static void CompleteParty(Activity? span, string session, long round, string operation, long elements, long bytes, int parties)
    {
        Tag(span, session, round, operation, elements, bytes, parties);
        span?.Stop();
    }

    /// <summary>Counts one piece of dealer material dealt for <paramref name="session"/>.</summary>
    public static void RecordMaterial(string session, MaterialKind kind) =>
        MpcDiagnostics.MaterialUsed.Add(1, new TagList { { MpcDiagnostics.SessionTag, session }, { MpcDiagnostics.MaterialTag, kind.ToString() } });

    private static void Tag(Activity? span, string session, long round, string operation, long elements, long bytes, int parties)
    {
        span?.SetTag(MpcDiagnostics.SessionTag, session);
        span?.SetTag(MpcDiagnostics.RoundIndexTag, round);
        span?.SetTag(MpcDiagnostics.OperationTag, operation);
        span?.SetTag(MpcDiagnostics.ElementsTag, elements);
        span?.SetTag(MpcDiagnostics.BytesTag, bytes);
        span?.SetTag(MpcDiagnostics.PartiesTag, parties);
    }
}
