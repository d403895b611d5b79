using SecureCompute.Grains.Interfaces.Sessions;

namespace SecureCompute.Grains.Sessions;

/// <summary>
/// Where one session stands at its coordinator: its spec, its state and the transitions between them, the attempt the
/// parties run, the released losses and what the parties reported when they finished. Nothing in it is secret.
/// </summary>
/// <remarks>
/// The states: None → Preparing (→ AwaitingApproval → Preparing) → Training → Completed, or Failed from anywhere but
/// Completed. A resume stays in Training as a new attempt. The coordinator is reentrant, but its turns run one at a
/// time, so a transition is never interleaved with another.
/// </remarks>
internal sealed class SessionLifecycle(string session)
{
    private readonly List<double> epochLoss = new();
    private bool[] finished = Array.Empty<bool>();
    private long dealerBytes;

    /// <summary>The session's spec, once started (or read back).</summary>
    public SessionSpec? Spec { get; private set; }

    /// <summary>The session's state.</summary>
    public SessionState State { get; private set; }

    /// <summary>The failure's cause, once failed.</summary>
    public string? Error { get; private set; }

    /// <summary>Party 0's report once it sent one (with the dealer's bytes once the session completed).</summary>
    public SessionReport? Report { get; private set; }

    /// <summary>The attempt the parties run now; a message of an earlier one is superseded.</summary>
    public int Attempt { get; private set; }

    /// <summary>How many times the session resumed.</summary>
    public int Resumes { get; private set; }

    /// <summary>The released losses, epoch by epoch (none in a DP session).</summary>
    public IReadOnlyList<double> EpochLoss => epochLoss;

    /// <summary>Epochs finished in the current attempt's line (what progress counts; a DP session releases no loss).</summary>
    public int EpochsDone { get; private set; }

    /// <summary>Takes back where a stored session stood (a new activation of its coordinator).</summary>
    public void Restore(CoordinatorSnapshot snapshot)
    {
        Spec = snapshot.Spec;
        State = snapshot.State;
        Attempt = snapshot.Attempt;
        Resumes = snapshot.Resumes;
        epochLoss.AddRange(snapshot.EpochLoss);
        EpochsDone = snapshot.EpochsDone ?? snapshot.EpochLoss.Length;
        Error = snapshot.Error;
        Report = snapshot.Report;
        finished = new bool[Spec.Parties.Length];
    }

    /// <summary>None → Preparing with <paramref name="spec"/>, once it is checked (a second start, a spec for another session or a bad spec throws).</summary>
    public void Start(SessionSpec spec)
    {
        if (State != SessionState.None)
        {
            throw new InvalidOperationException($"Session '{session}' was already started.");
        }
        if (spec.Session != session)
        {
            throw new ArgumentException($"A spec for session '{spec.Session}' was sent to the coordinator of '{session}'.", nameof(spec));
        }
        IReadOnlyList<string> problems = SessionSpecs.Validate(spec);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Session '{session}': {string.Join(" ", problems)}");
        }
        Spec = spec;
        State = SessionState.Preparing;
        finished = new bool[spec.Parties.Length];
    }

    /// <summary>→ AwaitingApproval: some party's operator must approve first.</summary>
    public void AwaitApproval() => State = SessionState.AwaitingApproval;

    /// <summary>→ Preparing; false when it was preparing already (nothing changed to publish).</summary>
    /// <exception cref="InvalidOperationException">The session has ended (cancelled or failed while its admission was awaited): it must not come back to life.</exception>
    public bool Prepare()
    {
        if (State is SessionState.Failed or SessionState.Completed)
        {
            throw new InvalidOperationException($"The session has ended ({State}); it is not prepared again.");
        }
        if (State == SessionState.Preparing)
        {
            return false;
        }
        State = SessionState.Preparing;
        return true;
    }

    /// <summary>Preparing → Training; false when the session left Preparing meanwhile (cancelled or failed).</summary>
    public bool Train()
    {
        if (State != SessionState.Preparing)
        {
            return false;
        }
        State = SessionState.Training;
        return true;
    }

    /// <summary>→ Failed with <paramref name="cause"/>; false when the session had already failed or completed (the first cause wins).</summary>
    public bool Fail(string cause)
    {
        if (State is SessionState.Failed or SessionState.Completed)
        {
            return false;
        }
        State = SessionState.Failed;
        Error = cause;
        return true;
    }

    /// <summary>Supersedes the current attempt (a resume begins): the parties' messages of the old one are refused from now on.</summary>
    public void NewAttempt() => Attempt++;

    /// <summary>Forgets the losses after epoch <paramref name="epoch"/>, the checkpoint every party resumes from.</summary>
    public void RewindTo(int epoch)
    {
        if (epochLoss.Count > epoch)
        {
            epochLoss.RemoveRange(epoch, epochLoss.Count - epoch);
        }
        EpochsDone = Math.Min(EpochsDone, epoch);
    }

    /// <summary>Before the parties run the new attempt: none has finished it, and nothing of the old one is reported.</summary>
    public void Restart()
    {
        Array.Clear(finished);
        Report = null;
        dealerBytes = 0;
    }

    /// <summary>Every party runs the new attempt.</summary>
    public void Resumed() => Resumes++;

    /// <summary>
    /// Party 0's loss of <paramref name="epoch"/> in <paramref name="attempt"/>; true when it is the next epoch done
    /// (an old attempt's, or a repeat, is ignored). An epoch outside the spec throws, and so does a loss that is not
    /// finite — except in a DP session, which releases no loss: there the loss must be NaN (a finite one would be a
    /// release the session does not account).
    /// </summary>
    public bool AddEpochLoss(int attempt, int epoch, double loss)
    {
        bool privateSession = Spec?.Privacy is not null;
        if (epoch < 1 || epoch > (Spec?.Epochs ?? 0) || (privateSession ? !double.IsNaN(loss) : !double.IsFinite(loss)))
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), privateSession
                ? $"Session '{session}': a DP session's epoch needs an epoch in 1..{Spec?.Epochs ?? 0} and no loss (it releases none)."
                : $"Session '{session}': an epoch loss needs an epoch in 1..{Spec?.Epochs ?? 0} and a finite value.");
        }
        if (attempt != Attempt || epoch != EpochsDone + 1)
        {
            return false;
        }
        EpochsDone++;
        if (!privateSession)
        {
            epochLoss.Add(loss);
        }
        return true;
    }

    /// <summary>
    /// Party <paramref name="party"/> finished the current attempt. True when it was the last one of a training session:
    /// then Training → Completed with the report, or → Failed when party 0 sent none.
    /// </summary>
    public bool PartyFinished(int party, SessionReport? report, long dealerBytes)
    {
        this.dealerBytes += dealerBytes;
        if (report is not null)
        {
            Report = report;
        }
        finished[party] = true;
        if (!finished.All(f => f) || State != SessionState.Training)
        {
            return false;
        }
        State = Report is null ? SessionState.Failed : SessionState.Completed;
        Report = Report is null ? null : Report with { DealerBytes = this.dealerBytes };
        Error = State == SessionState.Failed ? "party 0 finished without a report." : null;
        return true;
    }

    /// <summary>Throws unless <paramref name="party"/> is one of the session's parties.</summary>
    public void RequireParty(int party)
    {
        if (Spec is null || party < 0 || party >= Spec.Parties.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(party), party, $"Session '{session}' has no party {party}.");
        }
    }

    /// <summary>Throws unless the session trains and <paramref name="party"/> is one of its parties (an open is taken only then).</summary>
    public void RequireTraining(int party)
    {
        if (State == SessionState.Failed)
        {
            throw new InvalidOperationException($"Session '{session}' has failed: {Error}");
        }
        if (State != SessionState.Training || party < 0 || party >= Spec!.Parties.Length)
        {
            throw new InvalidOperationException($"Session '{session}' takes no open from party {party} now ({State}).");
        }
    }

    /// <summary>The progress of the moment, unfiltered, with <paramref name="rounds"/> opened so far.</summary>
    public SessionProgress Progress(long rounds) => new(State, Spec?.Epochs ?? 0, epochLoss.ToArray(), rounds, Error, Report, Resumes, EpochsDone);

    /// <summary>What is stored of the session, with <paramref name="rounds"/> opened so far, written by <paramref name="hostParty"/>'s silo.</summary>
    public CoordinatorSnapshot Snapshot(long rounds, string? hostParty) =>
        new(Spec!, State, Attempt, Resumes, epochLoss.ToArray(), rounds, hostParty, Error, Report, EpochsDone);
}
