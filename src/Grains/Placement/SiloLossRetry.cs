using Polly;
using Polly.Retry;

namespace SecureCompute.Grains.Placement;

/// <summary>
/// Makes a call again when Orleans refused it because the silo it was addressed to is gone
/// (<see cref="SiloUnavailableException"/>).
/// </summary>
/// <remarks>
/// After a party's silo is replaced (killed and restarted on the same endpoint), a grain's location can still name the
/// dead incarnation for a few seconds while the grain directory catches up; Orleans drops that location with the
/// refusal, so the next try addresses the grain where it runs now. A refused call was never delivered to a live grain,
/// so a second try does not double a call a grain saw; a call that failed otherwise is not made again.
/// </remarks>
public static class SiloLossRetry
{
    /// <summary>How often a refused call is made again (about 8 s of waiting in all).</summary>
    public const int Retries = 6;

    /// <summary>The first wait; each next one doubles (with jitter), up to 4 s.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    private static readonly ResiliencePipeline Pipeline = Build(FirstDelay);

    /// <summary>The retry pipeline with a first wait of <paramref name="firstDelay"/> (tests shorten it).</summary>
    internal static ResiliencePipeline Build(TimeSpan firstDelay) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<SiloUnavailableException>(),
            MaxRetryAttempts = Retries,
            Delay = firstDelay,
            BackoffType = DelayBackoffType.Exponential,
            MaxDelay = TimeSpan.FromSeconds(4),
            UseJitter = true,
        })
        .Build();

    /// <summary><paramref name="call"/>, made again while its target's silo is gone.</summary>
    public static Task<T> RunAsync<T>(Func<Task<T>> call) => RunAsync(Pipeline, call);

    /// <summary><paramref name="call"/>, made again while its target's silo is gone.</summary>
    public static Task RunAsync(Func<Task> call) => RunAsync(Pipeline, call);

    /// <summary><paramref name="call"/> through <paramref name="pipeline"/>.</summary>
    internal static Task<T> RunAsync<T>(ResiliencePipeline pipeline, Func<Task<T>> call) => pipeline.ExecuteAsync(async _ => await call(), CancellationToken.None).AsTask();

    /// <summary><paramref name="call"/> through <paramref name="pipeline"/>.</summary>
    internal static Task RunAsync(ResiliencePipeline pipeline, Func<Task> call) => pipeline.ExecuteAsync(async _ => await call(), CancellationToken.None).AsTask();
}
