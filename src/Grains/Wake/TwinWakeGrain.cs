using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Interfaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Grains.Wake;

/// <summary>
/// Sweeps one shard of the wake index: wakes each twin whose work is overdue by more than the grace, through the
/// silo's tick gate (so a sweep after an outage drains at the pace ticks do). A twin woken stores its next instant;
/// one that fails to wake stays in the index and is tried again at the next sweep. It sweeps only while the telemetry
/// intake is caught up (<see cref="WakeSweepGate"/>), so a backlog or a partition moving after a crash never makes a
/// device that is still sending look silent.
/// </summary>
public sealed partial class TwinWakeGrain(
    ITwinWakeIndex index,
    [FromKeyedServices(TwinClock.Key)] TimeProvider time,
    IOptions<TwinWakeOptions> options,
    TwinTickGate gate,
    TwinMetrics metrics,
    ILogger<TwinWakeGrain> logger) : Grain, ITwinWakeGrain
{
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;
    private WakeSweepGate? _gate;

    public async Task<int> SweepAsync(string caller, int caughtUpPartitions, int totalPartitions)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        _gate ??= new WakeSweepGate(settings.SweepInterval * 1.5);
        _gate.Heard(caller, caughtUpPartitions, totalPartitions, now);
        // Every silo asks every shard each interval: one sweep per interval is enough.
        if (now - _lastSweep < settings.SweepInterval / 2)
        {
            return 0;
        }

        if (!_gate.IntakeCaughtUp(now))
        {
            // Records may still be on their way to the overdue twins: not silent yet.
            metrics.WakeDeferred();
            return 0;
        }

        _lastSweep = now;
        var shard = (int)this.GetPrimaryKeyLong();
        var due = await index.DueAsync(shard, now - settings.Grace, settings.BatchSize);
        if (due.Count == 0)
        {
            return 0;
        }

        var failed = 0;
        await Task.WhenAll(due.Select(async deviceId =>
        {
            try
            {
                await gate.RunAsync(GrainFactory.GetGrainByKey<IDeviceTwinGrain>(deviceId).WakeAsync);
            }
            catch (Exception exception)
            {
                Interlocked.Increment(ref failed);
                LogWakeFailed(exception, deviceId, shard);
            }
        }));
        metrics.Woken(due.Count - failed, failed);
        return due.Count - failed;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Twin {DeviceId} (wake shard {Shard}) could not be woken; the next sweep tries again")]
    private partial void LogWakeFailed(Exception exception, string deviceId, int shard);
}
