using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Policy;
using SecureCompute.Mpc.Encoding;

namespace SecureCompute.Grains.Data;

/// <summary>
/// A party silo's rows for each session it serves, read from its CSV, narrowed to the session's columns and checked
/// once: the party grain reads them to announce the schema, the party's worker trains on the very same rows.
/// </summary>
/// <remarks>
/// Why one reader: the schema a party announces and the rows it trains on must be the same selection (the spec's
/// columns, else every column the party's policy allows) checked against the same range (the session's fixed-point
/// format). A silo restarted mid-session has lost the cache and reads the file again, the same way. The rows never
/// leave the silo; the cache holds the last <see cref="Capacity"/> sessions'.
/// </remarks>
public sealed class SessionRows(SiloIdentity silo)
{
    /// <summary>How many sessions' rows a silo keeps (the oldest goes first).</summary>
    public const int Capacity = 8;

    private readonly Lock gate = new();
    private readonly LinkedList<(string Session, PartyDataset Rows)> kept = new();

    /// <summary>
    /// This party's rows for <paramref name="spec"/>: the label column, the session's feature columns (the spec's, else
    /// every column the policy allows, in file order), every value within the session's fixed-point range.
    /// </summary>
    /// <exception cref="DatasetException">The file is missing a column, has a bad cell or a value out of range (named by file, row and column).</exception>
    public PartyDataset For(SessionSpec spec)
    {
        lock (gate)
        {
            for (LinkedListNode<(string Session, PartyDataset Rows)>? node = kept.First; node is not null; node = node.Next)
            {
                if (node.Value.Session == spec.Session)
                {
                    return node.Value.Rows;
                }
            }
        }
        PartyDataset rows = Read(spec);
        lock (gate)
        {
            kept.AddFirst((spec.Session, rows));
            while (kept.Count > Capacity)
            {
                kept.RemoveLast();
            }
        }
        return rows;
    }

    /// <summary>This party's privacy rules (its declared public bounds among them), from its own policy.</summary>
    public PrivacyRules Privacy => silo.Policy.Privacy;

    /// <summary>Forgets a session's rows (it ended or was cancelled).</summary>
    public void Forget(string session)
    {
        lock (gate)
        {
            for (LinkedListNode<(string Session, PartyDataset Rows)>? node = kept.First; node is not null; node = node.Next)
            {
                if (node.Value.Session == session)
                {
                    kept.Remove(node);
                    return;
                }
            }
        }
    }

    private PartyDataset Read(SessionSpec spec)
    {
        PartyDataset file = silo.LoadRows(spec.Label);
        PartyDataset rows = file.WithColumns(spec.Features ?? PolicyEvaluator.AllowedColumns(silo.Policy, file.FeatureNames, spec.Label).ToArray());
        rows.RequireWithin(new FixedPointFormat(spec.FractionalBits).MaxMagnitude);
        return rows;
    }
}
