using Orleans.Runtime;
using Polly;
using Polly.Retry;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Dealing;
using SecureCompute.Grains.Wire;
using SecureCompute.Mpc.Dealer;
using SecureCompute.Mpc.Engine;

namespace SecureCompute.Grains.PartySessions;

/// <summary>Party n−1's corrections straight from the session's dealer grain (never through the coordinator).</summary>
/// <remarks>
/// Dealing is offline work, so it is kept off the critical path: as soon as piece s arrives, the channel asks for its
/// guess of piece s + 1 (<see cref="MaterialPredictor"/>), and the request for s + 1, if the guess was right, finds
/// the answer already on its way. A wrong guess is dropped; it concerned masks nobody uses.
/// </remarks>
internal sealed class GrainCorrectionChannel(IDealerGrain dealer, TimeSpan dealerLossGrace) : IMaterialSource
{
    private readonly MaterialPredictor predictor = new();
    private (MaterialOrder Order, Task<MaterialCorrection> Call)? ahead;

    /// <summary>Pieces that were fetched ahead on a right guess.</summary>
    public long Hits { get; private set; }

    /// <inheritdoc />
    public DealerCorrection Next(long sequence, MaterialRequest request)
    {
        MaterialOrder order = MessageConversion.ToWire(request, sequence);
        MaterialCorrection? correction = null;
        if (ahead is { } guess)
        {
            ahead = null;
            if (MaterialPredictor.Same(guess.Order, order))
            {
                try
                {
                    correction = WorkerWait.For(guess.Call);
                    Hits++;
                }
                catch (Exception e) when (Transient(e))
                {
                    correction = null;   // the dealer's silo went away while the guess was on its way: ask again below
                }
            }
            else
            {
                guess.Call.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            }
        }
        correction ??= Fetch(order);
        predictor.Observe(order);
        if (predictor.Predict(sequence + 1) is { } next)
        {
            ahead = (next, dealer.NextCorrectionAsync(next));
        }
        return MessageConversion.FromWire(correction, request);
    }

    /// <summary>Whether a failed dealer call may succeed when asked again (its silo is gone or restarting).</summary>
    private static bool Transient(Exception e) => e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException;

    /// <summary>How long to wait before asking a dealer whose silo was unreachable again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Asks the dealer for one piece, again every <see cref="RetryDelay"/> while its silo is unreachable (it may be
    /// restarting), for up to the grace period: a piece depends only on (seed, sequence, request), so asking twice is harmless.
    /// </summary>
    private MaterialCorrection Fetch(MaterialOrder order)
    {
        try
        {
            return DealerRetry(DateTime.UtcNow + dealerLossGrace).Execute(() => WorkerWait.For(dealer.NextCorrectionAsync(order)));
        }
        catch (Exception e) when (Transient(e))
        {
            throw new InvalidOperationException($"the dealer could not be reached for {dealerLossGrace.TotalSeconds:F0} s ({e.GetType().Name}).", e);
        }
    }

    /// <summary>Retries a transient failure every <see cref="RetryDelay"/> until <paramref name="deadline"/> (a failure after it is final).</summary>
    private static ResiliencePipeline DealerRetry(DateTime deadline) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => Transient(e) && DateTime.UtcNow < deadline),
            MaxRetryAttempts = int.MaxValue,
            Delay = RetryDelay,
            BackoffType = DelayBackoffType.Constant,
        })
        .Build();
}
