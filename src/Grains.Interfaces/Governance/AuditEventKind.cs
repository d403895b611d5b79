namespace SecureCompute.Grains.Interfaces.Governance;

/// <summary>The kinds of event a party's audit trail records.</summary>
public enum AuditEventKind
{
    /// <summary>A session was admitted by this party's policy (and, with manual approval, approved).</summary>
    SessionAdmitted,

    /// <summary>A session was refused by this party's policy (the rule is named).</summary>
    SessionRefused,

    /// <summary>A session awaits an operator's decision.</summary>
    SessionPending,

    /// <summary>An operator approved a session.</summary>
    SessionApproved,

    /// <summary>An operator rejected a session, or the approval timed out.</summary>
    SessionRejected,

    /// <summary>The party's rows were read for a session (row and column counts only).</summary>
    RowsRead,

    /// <summary>A value was released (kind, round, element count, recipients).</summary>
    Release,

    /// <summary>A call was refused at the authorization boundary (method and caller role).</summary>
    CallRefused,

    /// <summary>A session resumed from a checkpoint.</summary>
    Resume,

    /// <summary>A DP session's (ε, δ) was reserved in the party's privacy budget ledger.</summary>
    BudgetReserved,

    /// <summary>A DP session's reservation was spent (its DP release was about to leave the party).</summary>
    BudgetSpent,

    /// <summary>A DP session's reservation was given back (it ended before any DP release).</summary>
    BudgetRefunded,

    /// <summary>A DP session was refused by the party's privacy budget ledger (the remaining ε named).</summary>
    BudgetRefused,
}
