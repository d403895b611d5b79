namespace SecureCompute.Client.Bench;

/// <summary>Figures of one <c>bench matmul</c> run (milliseconds are medians), written as JSON.</summary>
internal sealed record MatMulBenchResult
{
    /// <summary>N.</summary>
    public required int Size { get; init; }

    /// <summary>Simulated parties.</summary>
    public required int Parties { get; init; }

    /// <summary>Fractional bits of the fixed-point encoding.</summary>
    public required int FractionalBits { get; init; }

    /// <summary>libtorch intra-op threads.</summary>
    public required int Threads { get; init; }

    /// <summary>Ring matmul algorithm used by the secure product.</summary>
    public required string MatMulAlgorithm { get; init; }

    /// <summary>Secure matmul + truncation, all parties one after another on this machine.</summary>
    public required double OnlineMs { get; init; }

    /// <summary>The same, counting per step only the slowest party (parties on their own machines, no transport).</summary>
    public required double OnlineCriticalPathMs { get; init; }

    /// <summary>Dealer time plus the parties' expansion of their material.</summary>
    public required double OfflineMs { get; init; }

    /// <summary>Plaintext float64 matmul.</summary>
    public required double PlainFloat64Ms { get; init; }

    /// <summary>Plaintext float32 matmul.</summary>
    public required double PlainFloat32Ms { get; init; }

    /// <summary>One ring matmul with libtorch int64 (null when skipped).</summary>
    public required double? Int64RingMs { get; init; }

    /// <summary>One ring matmul with the limb split.</summary>
    public required double LimbRingMs { get; init; }

    /// <summary>One ring matmul with the managed int64 loop (null above N = 256, where it is far too slow to matter).</summary>
    public double? ManagedRingMs { get; init; }

    /// <summary>Whether both ring matmuls gave identical results (null when int64 was skipped).</summary>
    public required bool? RingResultsEqual { get; init; }

    /// <summary>Largest |secure − float64| over all elements and runs, inputs uniform in [−4, 4].</summary>
    public required double MaxAbsError { get; init; }

    /// <summary>Largest |secure − float64 product of the encoded inputs|: protocol and truncation error only.</summary>
    public required double MaxProtocolError { get; init; }

    /// <summary>Rounds of one secure product (matmul + truncation).</summary>
    public required long Rounds { get; init; }

    /// <summary>Bytes moved by the opens of one secure product.</summary>
    public required long BytesOpened { get; init; }

    /// <summary>Bytes the dealer sent for one secure product.</summary>
    public required long DealerBytes { get; init; }

    /// <summary>Secure online time over plaintext float64 time.</summary>
    public double OnlineOverPlainFloat64 => OnlineMs / PlainFloat64Ms;

    /// <summary>Limb-split ring matmul time over int64 ring matmul time (null when int64 was skipped).</summary>
    public double? LimbOverInt64 => Int64RingMs is { } int64 ? LimbRingMs / int64 : null;
}
