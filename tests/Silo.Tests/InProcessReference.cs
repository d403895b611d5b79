using System.Text.Json;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Sessions;
using SecureCompute.Learning.Programs;
using SecureCompute.Mpc.Engine;

namespace SecureCompute.Silo.Tests;

/// <summary>What a cluster's session must equal: the same spec run by the simulator in this process, on the hospitals' data.</summary>
internal static class InProcessReference
{
    /// <summary>Runs <paramref name="spec"/>'s program (any model) with the simulator and reproducible seed <paramref name="seed"/>.</summary>
    public static ProgramResult Program(SessionSpec spec, long seed, Action<ProgramCheckpoint>? checkpoint = null)
    {
        PartyDataset[] parties = ProcessClusterFixture.Hospitals.Select(h => CsvDataset.Load(RepositoryPaths.Data("breast-cancer", h), "benign")).ToArray();
        using var mpc = new MpcEngine(parties.Length, reproducibleSeed: seed);
        return SecretProgram.Run(mpc, parties.Select(p => p.Rows).ToArray(), parties[0].Columns,
            i => new PartyRows(spec.Parties[i], parties[i].Features, parties[i].Labels, parties[i].Columns),
            SessionSpecs.ToProgram(spec, parties[0].Columns), Enumerable.Range(0, parties.Length).ToArray(), checkpoint: checkpoint);
    }

    /// <summary>The weights then the bias from a `train` output folder's model.json.</summary>
    public static double[] ModelWeights(string folder)
    {
        using JsonDocument model = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "model.json")));
        return model.RootElement.GetProperty("weights").EnumerateArray().Select(e => e.GetDouble())
            .Append(model.RootElement.GetProperty("bias").GetDouble()).ToArray();
    }
}
