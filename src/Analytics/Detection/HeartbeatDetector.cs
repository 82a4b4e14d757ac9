using System.Globalization;

namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// Device-level detector of silence: learns the exponentially weighted mean interval between a device's records and, once warm,
/// reports the device silent when no record has arrived for more than <see cref="HeartbeatOptions.Multiplier"/> expected
/// intervals (the mean, floored at <see cref="HeartbeatOptions.MinInterval"/>). Once warm, an interval is folded into the mean
/// capped at that limit, so an outage does not teach a slower cadence while a lasting change of cadence is still learned.
/// </summary>
public sealed class HeartbeatDetector
{
    private const string FirstRecord = "first record";
    private const string Received = "record received";
    private const string Revived = "record received after a silence";
    private const string WarmingUp = "warming up";
    private const string Alive = "within the expected interval";
    private const string NoRecord = "no record yet";

    private readonly double multiplier;
    private readonly int warmUp;
    private readonly double minIntervalSeconds;
    private readonly double alpha;

    /// <summary>Creates the detector from validated options, which it copies.</summary>
    public HeartbeatDetector(HeartbeatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DetectorGuard.ThrowIfInvalid(options.Validate(), nameof(options));
        multiplier = options.Multiplier;
        warmUp = options.WarmUp;
        minIntervalSeconds = options.MinInterval.TotalSeconds;
        alpha = options.Alpha;
    }

    /// <summary>A fresh state for one device.</summary>
    public HeartbeatState CreateState() => new();

    /// <summary>Folds the event time of a record, in order, into the state; a silent device is alive again. The score is the interval in seconds.</summary>
    public DetectorVerdict Observe(HeartbeatState state, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.LastSeen is not { } lastSeen)
        {
            state.LastSeen = timestamp;
            state.Anomalous = false;
            return new(false, 0, FirstRecord);
        }

        var wasAnomalous = state.Anomalous;
        state.Anomalous = false;
        if (timestamp <= lastSeen)
        {
            // Records sharing a timestamp are one arrival, not an interval of zero.
            return new(false, 0, wasAnomalous ? Revived : Received);
        }

        var gap = (timestamp - lastSeen).TotalSeconds;

        // The limit this silence was judged by, before the gap moves the expected interval.
        var limit = LimitSeconds(state);
        state.LastSeen = timestamp;
        if (state.Intervals == 0)
        {
            state.IntervalSeconds = gap;
        }
        else
        {
            var folded = IsWarm(state) ? Math.Min(gap, LimitSeconds(state)) : gap;
            state.IntervalSeconds += alpha * (folded - state.IntervalSeconds);
        }

        state.Intervals = DetectorGuard.Increment(state.Intervals);
        return new(false, gap, wasAnomalous
            ? string.Create(CultureInfo.InvariantCulture, $"record after {gap:G6} s of silence")
            : Received)
        {
            Evidence = wasAnomalous ? new DetectorEvidence("seconds silent", gap, limit) : null,
        };
    }

    /// <summary>Whether the device is silent at <paramref name="now"/>, the caller's estimate of the device's clock. The score is the silence in seconds.</summary>
    public DetectorVerdict Check(HeartbeatState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.LastSeen is not { } lastSeen)
        {
            return new(false, 0, NoRecord);
        }

        var silence = now - lastSeen;
        if (!IsWarm(state))
        {
            return new(state.Anomalous, silence.TotalSeconds, WarmingUp);
        }

        state.Anomalous = state.Anomalous || silence.Ticks > LimitTicks(state);
        return new(state.Anomalous, silence.TotalSeconds, state.Anomalous
            ? string.Create(CultureInfo.InvariantCulture, $"no record for {silence.TotalSeconds:G6} s, {multiplier:G6} x the expected interval of {ExpectedSeconds(state):G6} s")
            : Alive)
        {
            Evidence = state.Anomalous ? new DetectorEvidence("seconds silent", silence.TotalSeconds, LimitSeconds(state)) : null,
        };
    }

    /// <summary>The first instant at which <see cref="Check"/> reports the device silent (one tick past the limit); null while warming up or already silent.</summary>
    public DateTimeOffset? NextCheck(HeartbeatState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.LastSeen is not { } lastSeen || !IsWarm(state) || state.Anomalous)
        {
            return null;
        }

        var ticks = LimitTicks(state) + 1;
        return ticks > (DateTimeOffset.MaxValue - lastSeen).Ticks ? DateTimeOffset.MaxValue : lastSeen.AddTicks(ticks);
    }

    private bool IsWarm(HeartbeatState state) => state.Intervals >= warmUp;

    private double ExpectedSeconds(HeartbeatState state) => Math.Max(state.IntervalSeconds, minIntervalSeconds);

    private double LimitSeconds(HeartbeatState state) => multiplier * ExpectedSeconds(state);

    // Whole ticks, so Check and NextCheck agree exactly on the instant the device turns silent.
    private long LimitTicks(HeartbeatState state)
    {
        var ticks = Math.Floor(LimitSeconds(state) * TimeSpan.TicksPerSecond);
        return ticks >= long.MaxValue ? long.MaxValue - 1 : (long)ticks;
    }
}
