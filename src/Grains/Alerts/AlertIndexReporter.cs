using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.Grains.Alerts;

/// <summary>
/// One per silo: gathers the alert changes twins publish and sends each fleet alert index shard one batch every
/// <see cref="FlushInterval"/>, instead of one call per twin and change. When every device raises <c>offline</c> at once,
/// that is a few calls per interval instead of one per device. A twin's report completes once its shard took the batch
/// (or fails with the shard's error, and the twin's outbox retries), so an alert still leaves the outbox only once indexed.
/// </summary>
public sealed partial class AlertIndexReporter : IDisposable
{
    /// <summary>How often queued changes are sent.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(25);

    private readonly IGrainFactory _grains;
    private readonly ILogger<AlertIndexReporter> _logger;
    private readonly Lock _gate = new();
    private readonly Pending?[] _pending = new Pending?[AlertIndexShards.Count];
    private readonly ITimer _timer;

    /// <summary>Starts the periodic send on the system clock (index freshness is processing time, never a device's clock).</summary>
    public AlertIndexReporter(IGrainFactory grains, TimeProvider time, ILogger<AlertIndexReporter> logger)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(time);
        _grains = grains;
        _logger = logger;
        _timer = time.CreateTimer(_ => Flush(), null, FlushInterval, FlushInterval);
    }

    /// <summary>Queues a device's alert changes for its shard; completes when the shard has taken them.</summary>
    public Task ReportAsync(string deviceId, IReadOnlyList<AlertInfo> alerts)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(alerts);
        if (alerts.Count == 0)
        {
            return Task.CompletedTask;
        }

        var shard = AlertIndexShards.Of(deviceId);
        lock (_gate)
        {
            var pending = _pending[shard] ??= new Pending();
            pending.Alerts.AddRange(alerts);
            return pending.Taken.Task;
        }
    }

    /// <summary>Sends every shard what was queued for it.</summary>
    public void Flush()
    {
        for (var shard = 0; shard < _pending.Length; shard++)
        {
            Pending? taken;
            lock (_gate)
            {
                taken = _pending[shard];
                _pending[shard] = null;
            }

            if (taken is not null)
            {
                _ = SendAsync(shard, taken);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private async Task SendAsync(int shard, Pending pending)
    {
        try
        {
            await _grains.GetGrainByKey<IAlertIndexGrain>(shard).UpdateAsync(pending.Alerts).ConfigureAwait(false);
            pending.Taken.TrySetResult();
        }
        catch (Exception exception)
        {
            LogSendFailed(exception, shard, pending.Alerts.Count);
            pending.Taken.TrySetException(exception);
        }
    }

    private sealed class Pending
    {
        public List<AlertInfo> Alerts { get; } = [];

        public TaskCompletionSource Taken { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert index shard {Shard} did not take {Count} alert changes; their twins publish them again")]
    private partial void LogSendFailed(Exception exception, int shard, int count);
}
