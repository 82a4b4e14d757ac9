using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;

namespace DeviceTwins.Api.Limits;

/// <summary>
/// A token bucket per credential (Api:Limits:RequestsPerSecond, RequestBurst), kept as one theoretical arrival time
/// (the generic cell rate algorithm) and updated with a compare-and-swap: no lock and no timer on a request's path.
/// </summary>
public sealed class CredentialRateLimiter : PartitionedRateLimiter<HttpContext>
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, StrongBox<long>> _arrivals = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _tolerance;
    private readonly long _sweepTicks;
    private long _lastSweep;

    /// <summary>Allows <paramref name="requestsPerSecond"/> requests a second per credential, <paramref name="burst"/> of them at once.</summary>
    public CredentialRateLimiter(int requestsPerSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _interval = Math.Max(1, time.TimestampFrequency / requestsPerSecond);
        _tolerance = _interval * burst;
        _sweepTicks = (long)(SweepInterval.TotalSeconds * time.TimestampFrequency);
        _lastSweep = time.GetTimestamp();
    }

    /// <summary>Credentials with a bucket not yet full again.</summary>
    public int Tracked => _arrivals.Count;

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Acquire(resource, permitCount);
    }

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return ValueTask.FromResult(Acquire(resource, permitCount));
    }

    /// <summary>Takes <paramref name="permits"/> from <paramref name="credential"/>'s bucket, or says how long until it can.</summary>
    public RateLimitLease Acquire(string credential, int permits = 1)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentOutOfRangeException.ThrowIfNegative(permits);
        var now = _time.GetTimestamp();
        SweepIfDue(now);
        var arrival = _arrivals.GetOrAdd(credential, static (_, start) => new StrongBox<long>(start), now);
        var cost = _interval * permits;
        while (true)
        {
            var seen = Volatile.Read(ref arrival.Value);
            var next = Math.Max(seen, now) + cost;
            var over = next - now - _tolerance;
            if (over > 0)
            {
                return new Refused(TimeSpan.FromSeconds((double)over / _time.TimestampFrequency));
            }

            if (Interlocked.CompareExchange(ref arrival.Value, next, seen) == seen)
            {
                return Granted.Instance;
            }
        }
    }

    private RateLimitLease Acquire(HttpContext context, int permits) =>
        context.User.Identity?.IsAuthenticated == true
            ? Acquire(Credentials.Of(context.User), permits)
            // A request without a credential (health, metrics; the others are refused by authorization).
            : Granted.Instance;

    // A bucket whose arrival time has passed is full, as if never used; dropping it bounds the map by the active
    // credentials. A request racing the removal may go uncounted once.
    private void SweepIfDue(long now)
    {
        var last = Volatile.Read(ref _lastSweep);
        if (now - last < _sweepTicks || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (credential, arrival) in _arrivals)
        {
            if (Volatile.Read(ref arrival.Value) <= now)
            {
                _arrivals.TryRemove(new KeyValuePair<string, StrongBox<long>>(credential, arrival));
            }
        }
    }

    private sealed class Granted : RateLimitLease
    {
        public static readonly Granted Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    private sealed class Refused(TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
