namespace SecureCompute.Client.Bench;

/// <summary>Figures of one element-wise protocol benchmark (milliseconds are medians), written as JSON.</summary>
internal sealed record ElementwiseBenchResult
{
    /// <summary>The protocol measured.</summary>
    public required string Protocol { get; init; }

    /// <summary>Elements per run.</summary>
    public required long Elements { get; init; }

    /// <summary>Simulated parties.</summary>
    public required int Parties { get; init; }

    /// <summary>libtorch intra-op threads.</summary>
    public required int Threads { get; init; }

    /// <summary>All parties one after another on this machine.</summary>
    public required double OnlineMs { get; init; }

    /// <summary>Per round only the slowest party, plus the open (parties on their own machines, no transport).</summary>
    public required double OnlineCriticalPathMs { get; init; }

    /// <summary>Dealer time plus the parties' expansion of their material.</summary>
    public required double OfflineMs { get; init; }

    /// <summary>The plaintext TorchSharp float64 computation of the same function.</summary>
    public required double PlainMs { get; init; }

    /// <summary>Rounds of one run.</summary>
    public required long Rounds { get; init; }

    /// <summary>Bytes moved by the opens of one run.</summary>
    public required long BytesOpened { get; init; }

    /// <summary>Bytes the dealer sent for one run.</summary>
    public required long DealerBytes { get; init; }

    /// <summary>Largest |secure − reference| over all elements and runs (0 for an exact protocol).</summary>
    public required double MaxAbsError { get; init; }

    /// <summary>Mean |secure − reference|.</summary>
    public required double MeanAbsError { get; init; }

    /// <summary>Secure online time over plaintext time.</summary>
    public double OnlineOverPlain => OnlineMs / PlainMs;
}
