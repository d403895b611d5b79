using SecureCompute.Client.Demo;
using SecureCompute.Grains.Data;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using SecureCompute.Grains.Policy;
using SecureCompute.Grains.Sessions;
using SecureCompute.Learning.Models;
using SecureCompute.Learning.Programs;
using SecureCompute.Silo.Embedded;

namespace SecureCompute.Client.Frontier;

/// <summary>
/// The frontier's embedded cluster: a silo per party (its own rows only, a permissive policy declaring the public
/// bounds) and a dealer silo, in this process. Each (ε, seed) is a real session: every party calibrates its σ from
/// the session's privacy section (RDP for DP-SGD, PRV for output perturbation), draws its noise from its own CSPRNG,
/// spends its ledger, and only the model reaches the frontier's client.
/// </summary>
internal sealed class FrontierCluster : IAsyncDisposable
{
    private static readonly OperatorIdentity Client = new("frontier", "console");
    private readonly EmbeddedCluster cluster;
    private readonly string[] ids;
    private readonly string label;
    private readonly double[] lower;
    private readonly double[] upper;

    private FrontierCluster(EmbeddedCluster cluster, string[] ids, string label, double[] lower, double[] upper)
    {
        this.cluster = cluster;
        this.ids = ids;
        this.label = label;
        this.lower = lower;
        this.upper = upper;
    }

    /// <summary>Starts a silo per party of <paramref name="files"/> and a dealer silo.</summary>
    public static async Task<FrontierCluster> StartAsync(IReadOnlyList<PartyDataset> files, double[] lower, double[] upper, CancellationToken cancellationToken)
    {
        string[] ids = files.Select(f => Path.GetFileNameWithoutExtension(f.Source)).ToArray();
        PartyPolicy[] policies = DemoCluster.Policies(ids, files[0].FeatureNames, lower, upper);
        var identities = ids.Select((id, i) => SiloIdentity.ForParty(id, _ => files[i]).WithPolicy(policies[i])).Append(SiloIdentity.ForDealer()).ToArray();
        EmbeddedCluster started = await EmbeddedCluster.StartAsync(identities, cancellationToken: cancellationToken, allowReproducibleSeeds: true);
        return new FrontierCluster(started, ids, files[0].LabelName, lower, upper);
    }

    /// <summary>
    /// Runs <paramref name="program"/> as a session (a DP one at <paramref name="epsilon"/>, δ =
    /// <paramref name="delta"/>, when the program is private: the parties calibrate σ themselves, and with
    /// <paramref name="statisticsShare"/> the private statistics too); returns the program the parties ran (their σ),
    /// the released model and standardisation, and party 0's program seconds.
    /// </summary>
    public async Task<(ProgramSpec Program, double[] Weights, Standardiser Standardiser, double Seconds)> RunAsync(ProgramSpec program, double epsilon, double delta,
        double? statisticsShare, CancellationToken cancellationToken)
    {
        ModelSpec model = program.Model;
        SessionPrivacy? privacy = program switch
        {
            { Privacy: { } dp } => new SessionPrivacy(epsilon, delta, PrivacyMechanism.DpSgd, dp.ClipNorm, ToleratedCoalition: dp.ToleratedCoalition,
                LowerBounds: lower, UpperBounds: upper, StatisticsShare: statisticsShare),
            { Output: { } output } => new SessionPrivacy(epsilon, delta, PrivacyMechanism.Output, ToleratedCoalition: output.ToleratedCoalition,
                LowerBounds: lower, UpperBounds: upper, Regularisation: output.Regularisation),
            _ => null,
        };
        SessionSpec spec = DemoOptions.SessionParameters(Enum.Parse<SessionModel>(model.Kind.ToString()), program.Epochs, program.BatchSize, program.LearningRate,
            program.Seed, program.SigmoidDegree, model.Kind == ModelKind.Mlp ? model.Hidden.ToArray() : null) with
        {
            Session = $"frontier-{Guid.NewGuid():N}"[..21],
            Parties = ids,
            Label = label,
            Classes = model.Kind is ModelKind.Softmax or ModelKind.Mlp ? model.Classes : 0,
            Recipients = [Client.ToString()],
            Privacy = privacy,
        };
        ProgramSpec ran = SessionSpecs.ToProgram(spec, model.Features);
        SessionReport report = await SessionClient.RunAsync(cluster.Grains, spec, cancellationToken: cancellationToken, client: ClientSigner.Declaring(Client));
        return (ran, report.Weights, new Standardiser(report.Means, report.StandardDeviations), report.Seconds);
    }

    /// <summary>Stops the silos.</summary>
    public ValueTask DisposeAsync() => cluster.DisposeAsync();
}
