using SecureCompute.Grains.Placement;

namespace SecureCompute.Grains.PartySessions;

/// <summary>How a party's worker thread waits for a grain call.</summary>
/// <remarks>
/// The training program is synchronous, CPU-bound libtorch work; it runs on a dedicated thread per party (not on an
/// Orleans scheduler turn, which it would hold for minutes). That thread has no synchronisation context, so waiting
/// on a call's task there cannot deadlock; this is the one place that waits.
/// </remarks>
internal static class WorkerWait
{
    /// <summary>Waits for <paramref name="call"/> and returns its result, rethrowing its exception unwrapped.</summary>
    public static T For<T>(Task<T> call) => call.GetAwaiter().GetResult();

    /// <summary>Waits for <paramref name="call"/>, rethrowing its exception unwrapped.</summary>
    public static void For(Task call) => call.GetAwaiter().GetResult();

    /// <summary>Makes <paramref name="call"/> and waits for it, again while its target's silo is gone (<see cref="SiloLossRetry"/>).</summary>
    public static T Call<T>(Func<Task<T>> call) => For(SiloLossRetry.RunAsync(call));

    /// <summary>Makes <paramref name="call"/> and waits for it, again while its target's silo is gone (<see cref="SiloLossRetry"/>).</summary>
    public static void Call(Func<Task> call) => For(SiloLossRetry.RunAsync(call));
}
