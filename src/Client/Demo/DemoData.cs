using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Learning.Programs;
using SecureCompute.Mpc.Encoding;

namespace SecureCompute.Client.Demo;

/// <summary>The demo's rows: every party's file read in this process, re-split on request, checked against the model's labels.</summary>
internal static class DemoData
{
    /// <summary>The parties' rows, one per CSV file in file-name order, or the pooled rows cut into <see cref="DemoOptions.Parties"/> blocks.</summary>
    public static IReadOnlyList<PartyDataset> Load(DemoOptions options)
    {
        PartyDataset[] files = options.Data.GetFiles("*.csv").OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => CsvDataset.Load(f.FullName, options.Label)).ToArray();
        PartySchemas.RequireSame(files.Length >= 2 ? files : files.Concat(files).ToArray());
        foreach (PartyDataset file in files)
        {
            file.RequireWithin(FixedPointFormat.Default.MaxMagnitude);
        }
        int parties = options.Parties ?? files.Length;
        if (parties < 2)
        {
            throw new DatasetException(options.Data.FullName, $"holds {files.Length} CSV file; joint training needs at least 2 parties (or --parties N to split it)");
        }
        return options.Split == DemoSplit.LabelSkew ? Resplit(files, parties, byLabel: true)
            : parties == files.Length ? files : Resplit(files, parties, byLabel: false);
    }

    /// <summary>The parties' ids: the files' names, or party-1..N when the rows were re-split.</summary>
    public static string[] PartyIds(DemoOptions options, IReadOnlyList<PartyDataset> parties)
    {
        if (options.Split == DemoSplit.LabelSkew)
        {
            return Enumerable.Range(1, parties.Count).Select(i => $"party-{i}").ToArray();
        }
        string[] names = options.Data.GetFiles("*.csv").OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => Path.GetFileNameWithoutExtension(f.Name)).ToArray();
        bool usable = names.Length == parties.Count && names.All(n => n.Length > 0 && n.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
        return usable ? names : Enumerable.Range(1, parties.Count).Select(i => $"party-{i}").ToArray();
    }

    /// <summary>
    /// The classes of <paramref name="model"/> on the labels the demo holds (all of them), after checking them as each
    /// party would: 0 or 1 for logistic regression, 0..K−1 for softmax and MLP (K from the labels), 0 for linear
    /// regression (any label).
    /// </summary>
    public static int Classes(SessionModel model, IReadOnlyList<PartyDataset> parties, string folder)
    {
        switch (model)
        {
            case SessionModel.Logistic:
                foreach (PartyDataset p in parties)
                {
                    p.RequireBinaryLabels();
                }
                return 0;
            case SessionModel.Softmax or SessionModel.Mlp:
                return MultiClass(parties, folder);
            default:
                return 0;
        }
    }

    /// <summary>Every party's rows as the programs read them.</summary>
    public static PartyRows[] Rows(IReadOnlyList<PartyDataset> parties, string[] ids) =>
        parties.Select((p, i) => new PartyRows(ids[i], p.Features, p.Labels, p.Columns)).ToArray();

    /// <summary>K from the labels the demo holds (all of them): every label must be a class 0..K−1.</summary>
    private static int MultiClass(IReadOnlyList<PartyDataset> parties, string folder)
    {
        double max = 0;
        foreach (PartyDataset p in parties)
        {
            int bad = Array.FindIndex(p.Labels, l => l < 0 || l != Math.Floor(l) || l > 1000);
            if (bad >= 0)
            {
                throw new DatasetException(p.Source, $"row {bad + 1}: a softmax or MLP label must be a class 0, 1, 2, … (an integer up to 1000)", bad + 2);
            }
            max = Math.Max(max, p.Labels.Max());
        }
        int k = (int)max + 1;
        return k >= 2 ? k : throw new DatasetException(folder, "every label is 0: a classifier needs at least 2 classes");
    }

    /// <summary>
    /// Pools the files' rows and cuts them into <paramref name="parties"/> contiguous blocks (demo only: all data is
    /// local); <paramref name="byLabel"/>: sorted by label first (stable), the label-skewed split.
    /// </summary>
    private static PartyDataset[] Resplit(PartyDataset[] files, int parties, bool byLabel)
    {
        int d = files[0].Columns;
        double[] pooled = files.SelectMany(f => f.Features).ToArray();
        double[] all = files.SelectMany(f => f.Labels).ToArray();
        int[] order = Enumerable.Range(0, all.Length).ToArray();
        if (byLabel)
        {
            order = order.OrderBy(i => all[i]).ToArray();   // OrderBy is stable: file order within a label
        }
        double[] labels = order.Select(i => all[i]).ToArray();
        double[] features = order.SelectMany(i => pooled.AsSpan(i * d, d).ToArray()).ToArray();
        string how = byLabel ? "label-skewed " : "";
        return Enumerable.Range(0, parties).Select(i =>
        {
            int start = labels.Length * i / parties, end = labels.Length * (i + 1) / parties;
            return new PartyDataset($"{files[0].Source} ({how}party {i + 1} of {parties})", files[0].FeatureNames, files[0].LabelName,
                features[(start * d)..(end * d)], labels[start..end]);
        }).ToArray();
    }
}
