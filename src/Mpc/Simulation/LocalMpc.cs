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

namespace SecureCompute.Mpc.Simulation;

/// <summary>
/// The MPC engine. Hosting every party, it is the in-process simulator: n parties, a dealer and a coordinator in one
/// process, every open summed as the coordinator would. Hosting one party (<see cref="ForParty"/>), it is that
/// party's engine in a deployment: the same program runs at every party in lockstep, opens go through an
/// <see cref="IOpenChannel"/> and party n−1's dealer corrections through an <see cref="ICorrectionChannel"/>.
/// </summary>
/// <remarks>
/// Operations act on the hosted parties' shares (<see cref="SharedTensor.Shares"/> holds those only). It counts
/// rounds and bytes opened, and keeps dealer ("offline") time apart from protocol ("online") time: the dealer's work
/// and the parties' seed expansion are offline, begin → open → finish is online.
/// </remarks>
public sealed partial class LocalMpc : IDisposable
{
    private readonly TrustedDealer? dealer;
    private readonly IOpenChannel? opens;
    private readonly ICorrectionChannel? corrections;
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
    public LocalMpc(int parties, FixedPointFormat? format = null, ComputeDeviceKind device = ComputeDeviceKind.Cpu,
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
        dealer = new TrustedDealer(seeds, MatMulAlgorithm);
        material = Enumerable.Range(0, parties).Select(i => new PartyMaterial(i, parties, seeds[i], Device)).ToArray();
        pairwise = PairwiseSeeds.CreateAll(parties, source);
        partyCount = parties;
    }

    private LocalMpc(string session, int party, int parties, Seed materialSeed, PairwiseSeeds pairwiseSeeds, IOpenChannel opens,
        ICorrectionChannel? corrections, FixedPointFormat? format, ComputeDeviceKind device, RingMatMulAlgorithm matMul)
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
        this.opens = opens;
        this.corrections = corrections;
    }

    /// <summary>
    /// One party's engine in a deployment: it holds party <paramref name="party"/>'s shares only; every open goes
    /// through <paramref name="opens"/>; party n−1 takes the dealer's corrections from <paramref name="corrections"/>
    /// (null for the others). The engine owns the pairwise seeds from here on.
    /// </summary>
    public static LocalMpc ForParty(string session, int party, int parties, Seed materialSeed, PairwiseSeeds pairwiseSeeds,
        IOpenChannel opens, ICorrectionChannel? corrections, FixedPointFormat? format = null,
        ComputeDeviceKind device = ComputeDeviceKind.Cpu, RingMatMulAlgorithm matMul = RingMatMulAlgorithm.Auto) =>
        new(session, party, parties, materialSeed, pairwiseSeeds, opens, corrections, format, device, matMul);

    /// <summary>The number of parties in the session.</summary>
    public int Parties => partyCount;

    /// <summary>The parties whose shares this engine holds, in order (all of them in the simulator).</summary>
    public IReadOnlyList<int> HostedParties => material.Select(m => m.Party).ToArray();

    /// <summary>Whether this engine holds party <paramref name="party"/>'s shares.</summary>
    public bool Hosts(int party) => material.Any(m => m.Party == party);

    /// <summary>The number of hosted parties (slots in <see cref="SharedTensor.Shares"/>).</summary>
    private int Local => material.Length;

    /// <summary>
    /// Raised with (party, message) for every message the coordinator receives — what a coordinator could record.
    /// For audits and tests: they show that only masked values and intended releases reach it.
    /// </summary>
    public event Action<int, OpenMessage>? CoordinatorReceived;

    /// <summary>The session id that tags this simulator's spans and metrics.</summary>
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
        using Activity? span = StartRound();
        using OpenMessage opened = Round(ProtocolOp.Open, x.Shares.Select(Reveal.BeginToAll).ToArray(), span);
        criticalPath += Stopwatch.GetElapsedTime(start);
        EndRound(start);
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
        long start = Stopwatch.GetTimestamp();
        using Activity? span = StartRound();
        var begun = new (OpenMessage Message, PendingReveal State)[Local];
        TimeSpan slowestBegin = SlowestParty(i => begun[i] = Reveal.BeginTo(x.Shares[i], pairwise[i], recipients));
        long openStart = Stopwatch.GetTimestamp();
        using OpenMessage opened = Round(ProtocolOp.RevealTo, begun.Select(b => b.Message).ToArray(), span);
        TimeSpan open = Stopwatch.GetElapsedTime(openStart);
        var result = new Tensor?[Parties];
        TimeSpan slowestFinish = SlowestParty(i => result[material[i].Party] = Reveal.FinishTo(begun[i].State, opened));
        criticalPath += slowestBegin + open + slowestFinish;
        EndRound(start);
        return result;
    }

    /// <summary>Releases seeds, streams and the dealer.</summary>
    public void Dispose()
    {
        dealer?.Dispose();
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
            bool needed = material.Any(p => p.ReceivesCorrections);
            long sequence = material[0].Sequence;
            using DealerCorrection? correction = dealer?.Deal(sequence, request) ?? (needed ? corrections!.Next(sequence, request) : null);
            dealerBytes += needed ? correction!.Bytes : 0;
            if (opens is null)
            {
                MpcDiagnostics.MaterialUsed.Add(1, new TagList { { MpcDiagnostics.SessionTag, Session }, { "mpc.material", request.Kind.ToString() } });
            }
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
        long start = Stopwatch.GetTimestamp();
        using Activity? span = StartRound();
        var messages = new OpenMessage[Local];
        TimeSpan slowestBegin = SlowestParty(i => messages[i] = begin(i));
        long openStart = Stopwatch.GetTimestamp();
        using OpenMessage opened = Round(op, messages, span);
        TimeSpan open = Stopwatch.GetElapsedTime(openStart);
        var results = new T[Local];
        TimeSpan slowestFinish = SlowestParty(i => results[i] = finish(i, opened));
        criticalPath += slowestBegin + open + slowestFinish;
        EndRound(start);
        return results;
    }

    /// <summary>
    /// Starts the round's span (null when nobody listens); its tags are set once the open is sized. The simulator,
    /// being the coordinator too, records <c>mpc.round</c>; a party's engine records its side as <c>mpc.party.round</c>
    /// (the coordinator records the round itself).
    /// </summary>
    private Activity? StartRound() =>
        MpcDiagnostics.ActivitySource.StartActivity(opens is null ? MpcDiagnostics.RoundSpan : MpcDiagnostics.PartyRoundSpan);

    private void EndRound(long start)
    {
        if (opens is null)
        {
            var tags = new TagList { { MpcDiagnostics.SessionTag, Session } };
            MpcDiagnostics.RoundDuration.Record(Stopwatch.GetElapsedTime(start).TotalMilliseconds, tags);
        }
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

    private OpenMessage Round(ProtocolOp op, OpenMessage[] messages, Activity? span)
    {
        online.Start();
        try
        {
            OpenMessage opened;
            if (opens is null)
            {
                for (int i = 0; i < messages.Length; i++)
                {
                    CoordinatorReceived?.Invoke(i, messages[i]);
                }
                opened = OpenRound.Combine(messages);
            }
            else
            {
                opened = opens.Open(rounds.Count, op, messages[0]);
            }
            long elements = messages[0].ElementCount;
            long bytes = Parties * (messages[0].Bytes + opened.Bytes);
            rounds.Add(new RoundRecord(rounds.Count, op, elements, bytes));
            span?.SetTag(MpcDiagnostics.SessionTag, Session);
            span?.SetTag(MpcDiagnostics.RoundIndexTag, rounds.Count - 1);
            span?.SetTag(MpcDiagnostics.OperationTag, op.ToString());
            span?.SetTag(MpcDiagnostics.ElementsTag, elements);
            span?.SetTag(MpcDiagnostics.BytesTag, bytes);
            span?.SetTag(MpcDiagnostics.PartiesTag, Parties);
            if (opens is not null)
            {
                span?.SetTag(MpcDiagnostics.PartyTag, material[0].Party);
                return opened;
            }
            var tags = new TagList { { MpcDiagnostics.SessionTag, Session }, { MpcDiagnostics.OperationTag, op.ToString() } };
            MpcDiagnostics.Rounds.Add(1, tags);
            MpcDiagnostics.BytesOpened.Add(bytes, tags);
            return opened;
        }
        finally
        {
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
