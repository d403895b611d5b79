namespace SecureCompute.Mpc.Engine;

/// <summary>The interactive operations, as rounds are labelled in logs, traces and round counts.</summary>
public enum ProtocolOp
{
    /// <summary>Open or reveal to all.</summary>
    Open,

    /// <summary>Reveal to chosen parties only.</summary>
    RevealTo,

    /// <summary>Element-wise Beaver multiplication.</summary>
    Multiply,

    /// <summary>Element-wise square.</summary>
    Square,

    /// <summary>Matrix multiplication.</summary>
    MatMul,

    /// <summary>Truncation by 2^m.</summary>
    Truncate,

    /// <summary>The masked open that starts a comparison.</summary>
    CompareOpen,

    /// <summary>Bit-wise AND of XOR-shared words.</summary>
    And,

    /// <summary>XOR-shared bit to additive share (daBit).</summary>
    BitToArithmetic,
}

/// <summary>One round as the simulator recorded it: public metadata only.</summary>
/// <param name="Index">Round number, from 0.</param>
/// <param name="Op">The operation.</param>
/// <param name="Elements">Ring elements opened (per party message).</param>
/// <param name="Bytes">Bytes moved: every party's message up plus the opened value down to every party.</param>
public sealed record RoundRecord(long Index, ProtocolOp Op, long Elements, long Bytes);
