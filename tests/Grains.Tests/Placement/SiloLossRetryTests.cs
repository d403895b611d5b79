using SecureCompute.Grains.Placement;

namespace SecureCompute.Grains.Tests.Placement;

/// <summary>A call refused because its silo is gone is made again; any other failure is not.</summary>
public sealed class SiloLossRetryTests
{
    [Fact]
    public async Task RefusedForAGoneSiloIsMadeAgainUntilItSucceeds()
    {
        int calls = 0;
        int answer = await SiloLossRetry.RunAsync(SiloLossRetry.Build(TimeSpan.FromMilliseconds(1)), () =>
        {
            calls++;
            return calls <= 2 ? Task.FromException<int>(new SiloUnavailableException()) : Task.FromResult(42);
        });
        Assert.Equal(42, answer);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task OtherFailuresAreNotMadeAgain()
    {
        int calls = 0;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloLossRetry.RunAsync(() =>
        {
            calls++;
            return Task.FromException(new InvalidOperationException("superseded"));
        }));
        Assert.Equal("superseded", error.Message);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task GivesUpAfterItsRetriesWithTheRefusal()
    {
        int calls = 0;
        await Assert.ThrowsAsync<SiloUnavailableException>(() => SiloLossRetry.RunAsync(SiloLossRetry.Build(TimeSpan.FromMilliseconds(1)), () =>
        {
            calls++;
            return Task.FromException(new SiloUnavailableException());
        }));
        Assert.Equal(SiloLossRetry.Retries + 1, calls);
    }
}
