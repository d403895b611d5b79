using System.Diagnostics;
using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Diagnostics;
using SecureCompute.Mpc.Encoding;
using SecureCompute.Mpc.Protocols;
using SecureCompute.Mpc.Randomness;
using SecureCompute.Mpc.Ring;
using SecureCompute.Mpc.Runtime;
using SecureCompute.Mpc.Sharing;
using TorchSharp;
using static TorchSharp.torch;

namespace SecureCompute.Mpc.Engine;

/// <summary>
/// The MPC engine: it runs the protocols for the parties it hosts, and reaches everyone else only through its
/// <see cref="IRoundTransport"/> (opens) and, hosting party n−1, its <see cref="IMaterialSource"/> (dealer corrections).
/// In a deployment it hosts one party (<see cref="ForParty"/>) and its transport goes to the session's coordinator; the
/// simulator is the same engine hosting every party, with an <see cref="InProcessTransport"/> as their coordinator and
/// an <see cref="InProcessDealer"/> — so the simulator and a deployment run the same code.
/// </summary>
/// <remarks>
/// Operations act on the hosted parties' shares (<see cref="SharedTensor.Shares"/> holds those only; a party's step
/// is run for each hosted party in turn). The engine counts rounds and bytes opened, records a party-side span per
/// hosted party per round, and keeps dealer ("offline") time apart from protocol ("online") time: the dealer's work
/// and the parties' seed expansion are offline, begin → open → finish is online.
/// </remarks>
public sealed partial class MpcEngine : IDisposable
{
    private readonly IRoundTransport transport;
    private readonly IMaterialSource? corrections;
    private readonly IDisposable? ownedDealer;
    private readonly PartyMaterial[] material;
    private readonly PairwiseSeeds[] pairwise;
    private readonly int partyCount;
    private readonly List<RoundRecord> rounds = new();
    private readonly Stopwatch online = new();
    private readonly Stopwatch offline = new();
    private TimeSpan criticalPath;
    private long dealerBytes;

    /// <summary>Creates <paramref name="parties"/> simulated parties with fresh seeds.</summary>
    /// <param name="parties">Number of parties (≥ 2).</param>
    /// <param name="format">Fixed-point format; 16 fractional bits by default.</param>
    /// <param name="device">Where share arithmetic runs.</param>
    /// <param name="matMul">Ring matmul algorithm.</param>
    /// <param name="reproducibleSeed">Derive every seed from this value (<see cref="Seed.Reproducible"/>) so that a run
    /// repeats bit for bit — for demos and tests only; null (the default) draws fresh seeds from the CSPRNG.</param>
    public MpcEngine(int parties, FixedPointFormat? format = null, ComputeDeviceKind device = ComputeDeviceKind.Cpu,
        RingMatMulAlgorithm matMul = RingMatMulAlgorithm.Auto, long? reproducibleSeed = null)
    {
        Session = $"local-{Guid.NewGuid():N}"[..14];
        if (parties < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(parties), parties, "MPC needs at least 2 parties.");
        }
        Device = ComputeDevice.Resolve(device);
        Format = format ?? FixedPointFormat.Default;
        MatMulAlgorithm = RingMatMul.Resolve(matMul, Device);
        Func<Seed> source = reproducibleSeed is { } value ? Seed.Reproducible(value) : Seed.Random;
        Seed[] seeds = TrustedDealer.NewPartySeeds(parties, source);
        var dealer = new InProcessDealer(Session, new TrustedDealer(seeds, MatMulAlgorithm));
        ownedDealer = dealer;
        corrections = dealer;
        var coordinator = new InProcessTransport(Session, parties);
        Coordinator = coordinator;
        transport = coordinator;
        material = Enumerable.Range(0, parties).Select(i => new PartyMaterial(i, parties, seeds[i], Device)).ToArray();
        pairwise = PairwiseSeeds.CreateAll(parties, source);
        partyCount = parties;
    }

    private MpcEngine(string session, int party, int parties, Seed materialSeed, PairwiseSeeds pairwiseSeeds, IRoundTransport transport,
        IMaterialSource? corrections, FixedPointFormat? format, ComputeDeviceKind device, RingMatMulAlgorithm matMul)
    {
        if (parties < 2 || party < 0 || party >= parties)
        {
            throw new ArgumentOutOfRangeException(nameof(party), $"Party {party} of {parties}: need 0 ≤ party < parties and parties ≥ 2.");
        }
        if (pairwiseSeeds.Party != party || pairwiseSeeds.PartyCount != parties)
        {
            throw new ArgumentException($"Pairwise seeds of party {pairwiseSeeds.Party} of {pairwiseSeeds.PartyCount} given to party {party} of {parties}.", nameof(pairwiseSeeds));
        }
        if ((party == parties - 1) != (corrections is not null))
        {
            throw new ArgumentException($"Party n−1 and only party n−1 receives dealer corrections (party {party} of {parties}).", nameof(corrections));
        }
        Session = session;
        Device = ComputeDevice.Resolve(device);
        Format = format ?? FixedPointFormat.Default;
        MatMulAlgorithm = RingMatMul.Resolve(matMul, Device);
        material = new[] { new PartyMaterial(party, parties, materialSeed, Device) };
        pairwise = new[] { pairwiseSeeds };
        partyCount = parties;
        this.transport = transport;
        this.corrections = corrections;
    }

    /// <summary>
    /// One party's engine in a deployment: it holds party <paramref name="party"/>'s shares only; every open goes
    /// through <paramref name="transport"/>; party n−1 takes the dealer's corrections from <paramref name="corrections"/>
    /// (null for the others). The engine owns the pairwise seeds from here on.
    /// </summary>
    public static MpcEngine ForParty(string session, int party, int parties, Seed materialSeed, PairwiseSeeds pairwiseSeeds,
        IRoundTransport transport, IMaterialSource? corrections, FixedPointFormat? format = null,
        ComputeDeviceKind device = ComputeDeviceKind.Cpu, RingMatMulAlgorithm matMul = RingMatMulAlgorithm.Auto) =>
        new(session, party, parties, materialSeed, pairwiseSeeds, transport, corrections, format, device, matMul);

    /// <summary>The number of parties in the session.</summary>
    public int Parties => partyCount;

    /// <summary>The parties whose shares this engine holds, in order (all of them in the simulator).</summary>
    public IReadOnlyList<int> HostedParties => material.Select(m => m.Party).ToArray();

    /// <summary>Whether this engine holds party <paramref name="party"/>'s shares.</summary>
    public bool Hosts(int party) => material.Any(m => m.Party == party);

    /// <summary>The number of hosted parties (slots in <see cref="SharedTensor.Shares"/>).</summary>
    private int Local => material.Length;

    /// <summary>The simulator's coordinator (null for a deployed party's engine, whose coordinator runs elsewhere): what it receives is what a coordinator could record.</summary>
    public InProcessTransport? Coordinator { get; }

    /// <summary>The session id that tags this engine's spans and metrics.</summary>
    public string Session { get; }

    /// <summary>The fixed-point format.</summary>
    public FixedPointFormat Format { get; }

    /// <summary>The device share arithmetic runs on.</summary>
    public Device Device { get; }

    /// <summary>The ring matmul algorithm in use.</summary>
    public RingMatMulAlgorithm MatMulAlgorithm { get; }

    /// <summary>Rounds so far (one per open).</summary>
    public long Rounds => rounds.Count;

    /// <summary>The rounds so far, with their operation and size.</summary>
    public IReadOnlyList<RoundRecord> RoundLog => rounds;

    /// <summary>Bytes moved by opens: each party's message up, the opened value down to each party.</summary>
    public long BytesOpened => rounds.Sum(r => r.Bytes);

    /// <summary>Bytes the dealer sent to the hosted parties (corrections to party n−1) since the last <see cref="ResetCounters"/>.</summary>
    public long DealerBytes => dealerBytes;

    /// <summary>Time spent in protocol steps and opens.</summary>
    public TimeSpan OnlineTime => online.Elapsed;

    /// <summary>
    /// Online time as parties on their own machines would see it: per round, the slowest party's begin, the open,
    /// and the slowest party's finish. The simulator runs parties one after another on one machine, so
    /// <see cref="OnlineTime"/> is their sum; this is the deployment's critical path (transport excluded).
    /// </summary>
    public TimeSpan OnlineCriticalPath => criticalPath;

    /// <summary>Time spent dealing and expanding material.</summary>
    public TimeSpan OfflineTime => offline.Elapsed;

    /// <summary>The sequence number of the next piece of dealer material (the same at every party).</summary>
    public long MaterialSequence => material[0].Sequence;

    /// <summary>Continues dealer material at piece <paramref name="next"/> (resuming from a checkpoint).</summary>
    public void ResumeMaterialAt(long next)
    {
        foreach (PartyMaterial m in material)
        {
            m.ResumeAt(next);
        }
    }

    /// <summary>Resets the round log, byte counts and timers (not the randomness streams).</summary>
    public void ResetCounters()
    {
        dealerBytes = 0;
        rounds.Clear();
        online.Reset();
        offline.Reset();
        criticalPath = TimeSpan.Zero;
    }

    /// <summary>Party <paramref name="owner"/> shares a ring tensor by pseudo-random zero sharing: no message is sent.</summary>
    public SharedTensor Share(Tensor ring, int owner) => Share(ring.shape, ring, owner);

    /// <summary>
    /// Party <paramref name="owner"/> shares a ring tensor of public shape <paramref name="shape"/>; the engine passes
    /// the value when it hosts the owner and null otherwise (the others only draw their zero shares).
    /// </summary>
    public SharedTensor Share(long[] shape, Tensor? ring, int owner)
    {
        CheckParty(owner);
        if (Hosts(owner) && ring is null)
        {
            throw new ArgumentNullException(nameof(ring), $"Party {owner} is hosted here and must provide the value it shares.");
        }
        if (ring is not null && !ring.shape.SequenceEqual(shape))
        {
            throw new ArgumentException($"The value has shape [{string.Join(", ", ring.shape)}], not the announced [{string.Join(", ", shape)}].", nameof(ring));
        }
        var shares = new ShareTensor[Local];
        criticalPath += SlowestParty(i =>
        {
            Tensor z = ZeroSharing.ZeroShare(pairwise[i], shape, Device);
            if (material[i].Party == owner)
            {
                z.PlusInPlace(ring!.to(Device));
            }
            shares[i] = new ShareTensor(material[i].Party, z);
        });
        return new SharedTensor(shares);
    }

    /// <summary>
    /// A sharing of Σ_i v_i over every party's own ring tensor v_i of public shape <paramref name="shape"/>: each hosted
    /// party adds its own value to one zero share, so nothing is sent and no party's value is shared on its own.
    /// </summary>
    /// <param name="shape">The public shape of every value.</param>
    /// <param name="own">Indexed by party: the value of every hosted party (null for the others).</param>
    public SharedTensor ShareSum(long[] shape, IReadOnlyList<Tensor?> own)
    {
        if (own.Count != Parties)
        {
            throw new ArgumentException($"{own.Count} values for {Parties} parties.", nameof(own));
        }
        for (int p = 0; p < Parties; p++)
        {
            if (Hosts(p) && (own[p] is not { } value || !value.shape.SequenceEqual(shape)))
            {
                throw new ArgumentException($"Party {p} is hosted here and must provide a value of shape [{string.Join(", ", shape)}].", nameof(own));
            }
        }
        var shares = new ShareTensor[Local];
        criticalPath += SlowestParty(i =>
        {
            Tensor z = ZeroSharing.ZeroShare(pairwise[i], shape, Device);
            z.PlusInPlace(own[material[i].Party]!.to(Device));
            shares[i] = new ShareTensor(material[i].Party, z);
        });
        return new SharedTensor(shares);
    }

    /// <summary>Encodes reals with <see cref="Format"/> and shares them from <paramref name="owner"/>.</summary>
    public SharedTensor ShareReal(Tensor real, int owner)
    {
        using Tensor ring = Format.Encode(real);
        return Share(ring, owner);
    }

    /// <summary>Like <see cref="ShareReal(Tensor, int)"/> with a public shape; <paramref name="real"/> is null where the owner is not hosted.</summary>
    public SharedTensor ShareReal(long[] shape, Tensor? real, int owner)
    {
        using Tensor? ring = real is null ? null : Format.Encode(real);
        return Share(shape, ring, owner);
    }

    /// <summary>Opens x to everyone (and the coordinator): one round.</summary>
    public Tensor Open(SharedTensor x)
    {
        long start = Stopwatch.GetTimestamp();
        using OpenMessage opened = Round(ProtocolOp.Open, x.Shares.Select(Reveal.BeginToAll).ToArray());
        criticalPath += Stopwatch.GetElapsedTime(start);
        return Reveal.FinishToAll(opened);
    }

    /// <summary>Opens x and decodes it as fixed point.</summary>
    public Tensor OpenReal(SharedTensor x)
    {
        using Tensor ring = Open(x);
        return Format.Decode(ring);
    }

    /// <summary>
    /// Reveals x to <paramref name="recipients"/> only: one round; returns what each party learns, indexed by party
    /// (null for the others and for parties not hosted here).
    /// </summary>
    public Tensor?[] RevealTo(SharedTensor x, params int[] recipients)
    {
        var begun = new (OpenMessage Message, PendingReveal State)[Local];
        TimeSpan slowestBegin = SlowestParty(i => begun[i] = Reveal.BeginTo(x.Shares[i], pairwise[i], recipients));
        long openStart = Stopwatch.GetTimestamp();
        using OpenMessage opened = Round(ProtocolOp.RevealTo, begun.Select(b => b.Message).ToArray());
        TimeSpan open = Stopwatch.GetElapsedTime(openStart);
        var result = new Tensor?[Parties];
        TimeSpan slowestFinish = SlowestParty(i => result[material[i].Party] = Reveal.FinishTo(begun[i].State, opened));
        criticalPath += slowestBegin + open + slowestFinish;
        return result;
    }

    /// <summary>Releases seeds, streams and the simulator's dealer.</summary>
    public void Dispose()
    {
        ownedDealer?.Dispose();
        foreach (PartyMaterial m in material)
        {
            m.Dispose();
        }
        foreach (PairwiseSeeds p in pairwise)
        {
            p.Dispose();
        }
    }

    /// <summary>Deals one piece of material and hands every party its part (offline time).</summary>
    private BeaverTriple[] Triples(MaterialRequest request) => Deal(request, (p, c) => p.NextTriple(request, c));

    private T[] Deal<T>(MaterialRequest request, Func<PartyMaterial, DealerCorrection?, T> take)
    {
        offline.Start();
        try
        {
            // Only party n−1 takes a correction; an engine that does not host it has no source and asks nobody.
            long sequence = material[0].Sequence;
            using DealerCorrection? correction = corrections?.Next(sequence, request);
            dealerBytes += correction?.Bytes ?? 0;
            return material.Select(p => take(p, p.ReceivesCorrections ? correction : null)).ToArray();
        }
        finally
        {
            offline.Stop();
        }
    }

    private SharedTensor Step(ProtocolOp op, Func<int, OpenMessage> begin, Func<int, OpenMessage, ShareTensor> finish) =>
        new(Run(op, begin, finish));

    /// <summary>One round: every party's begin, the open, every party's finish (timed and counted).</summary>
    private T[] Run<T>(ProtocolOp op, Func<int, OpenMessage> begin, Func<int, OpenMessage, T> finish)
    {
        var messages = new OpenMessage[Local];
        TimeSpan slowestBegin = SlowestParty(i => messages[i] = begin(i));
        long openStart = Stopwatch.GetTimestamp();
        using OpenMessage opened = Round(op, messages);
        TimeSpan open = Stopwatch.GetElapsedTime(openStart);
        var results = new T[Local];
        TimeSpan slowestFinish = SlowestParty(i => results[i] = finish(i, opened));
        criticalPath += slowestBegin + open + slowestFinish;
        return results;
    }

    /// <summary>Runs one party's step for every party (timed as online) and returns the slowest party's time.</summary>
    private TimeSpan SlowestParty(Action<int> partyStep)
    {
        TimeSpan slowest = TimeSpan.Zero;
        for (int i = 0; i < Local; i++)
        {
            long start = Stopwatch.GetTimestamp();
            online.Start();
            try
            {
                partyStep(i);
            }
            finally
            {
                online.Stop();
            }
            TimeSpan t = Stopwatch.GetElapsedTime(start);
            slowest = t > slowest ? t : slowest;
        }
        return slowest;
    }

    /// <summary>The open of one round through the transport, with a party-side span per hosted party (tagged once the open is sized).</summary>
    private OpenMessage Round(ProtocolOp op, OpenMessage[] messages)
    {
        online.Start();
        Activity?[] spans = material.Select(m => RoundTelemetry.StartPartyRound(m.Party)).ToArray();
        try
        {
            long index = rounds.Count;
            OpenMessage opened = transport.Open(index, op, messages);
            long elements = messages[0].ElementCount;
            long bytes = Parties * (messages[0].Bytes + opened.Bytes);
            rounds.Add(new RoundRecord(index, op, elements, bytes));
            foreach (Activity? span in spans)
            {
                RoundTelemetry.CompleteParty(span, Session, index, op.ToString(), elements, bytes, Parties);
            }
            return opened;
        }
        finally
        {
            foreach (Activity? span in spans)
            {
                span?.Dispose();
            }
            foreach (OpenMessage m in messages)
            {
                m.Dispose();
            }
            online.Stop();
        }
    }

    private void CheckParty(int party)
    {
        if (party < 0 || party >= Parties)
        {
            throw new ArgumentOutOfRangeException(nameof(party), party, $"Parties are 0..{Parties - 1}.");
        }
    }
}
