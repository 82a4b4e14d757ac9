using System.Threading.RateLimiting;
using DeviceTwins.Api.Limits;
using Microsoft.Extensions.Time.Testing;

namespace DeviceTwins.UnitTests.Api;

/// <summary>The per-credential token bucket kept as one arrival time: burst, refill, Retry-After, isolation, sweep, races.</summary>
public sealed class CredentialRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Burst_PassesAtOnce_TheNextWaitsOneInterval_AndTheBucketRefillsAtTheRate()
    {
        var limiter = new CredentialRateLimiter(requestsPerSecond: 2, burst: 3, _time);

        Assert.All(Enumerable.Range(0, 3), _ => Assert.True(limiter.Acquire("ApiKey:a").IsAcquired));
        using var refused = limiter.Acquire("ApiKey:a");
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(500), retryAfter);

        // A refused request takes nothing: after half a second exactly one more passes.
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(limiter.Acquire("ApiKey:a").IsAcquired);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limiter.Acquire("ApiKey:a").IsAcquired);
        Assert.False(limiter.Acquire("ApiKey:a").IsAcquired);

        // Idle for long enough, the bucket is full again and no fuller.
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, Enumerable.Range(0, 5).Count(_ => limiter.Acquire("ApiKey:a").IsAcquired));
    }

    [Fact]
    public void Credentials_HaveTheirOwnBuckets()
    {
        var limiter = new CredentialRateLimiter(requestsPerSecond: 1, burst: 1, _time);

        Assert.True(limiter.Acquire("ApiKey:a").IsAcquired);
        Assert.False(limiter.Acquire("ApiKey:a").IsAcquired);
        Assert.True(limiter.Acquire("ApiKey:b").IsAcquired);
        Assert.True(limiter.Acquire("Bearer:a").IsAcquired);
    }

    [Fact]
    public void IdleCredentials_AreDropped_OnceTheirBucketsAreFull()
    {
        var limiter = new CredentialRateLimiter(requestsPerSecond: 1, burst: 5, _time);
        limiter.Acquire("ApiKey:a").Dispose();
        limiter.Acquire("ApiKey:b").Dispose();
        Assert.Equal(2, limiter.Tracked);

        // A minute on, a request of another credential sweeps the two full buckets away.
        _time.Advance(TimeSpan.FromMinutes(1));
        limiter.Acquire("ApiKey:c").Dispose();
        Assert.Equal(1, limiter.Tracked);
    }

    [Fact]
    public async Task ConcurrentRequests_AtOneInstant_GetExactlyTheBurst()
    {
        var limiter = new CredentialRateLimiter(requestsPerSecond: 10, burst: 100, _time);
        using var start = new Barrier(4);
        var granted = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return Enumerable.Range(0, 1_000).Count(_ => limiter.Acquire("ApiKey:a").IsAcquired);
        })));

        Assert.Equal(100, granted.Sum());
    }
}
