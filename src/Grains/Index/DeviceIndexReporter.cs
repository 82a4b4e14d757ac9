using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Grains.Index;

/// <summary>
/// One per silo: keeps the latest summary of each device reported since the last send, and every
/// <see cref="DeviceIndexOptions.FlushInterval"/> sends each shard one batch (empty ones too, so the shard knows how fresh
/// this silo's part is). A device written ten times in an interval costs one entry in one message. A batch a shard
/// does not take is queued again (newer reports of its devices win) and sent at the next interval. Sends start with
/// <see cref="Start"/>, once the silo is active: before that the cluster does not yet know where the shards live.
/// </summary>
public sealed partial class DeviceIndexReporter : IDeviceIndexReporter, IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger<DeviceIndexReporter> _logger;
    private readonly int _shards;
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private Dictionary<string, DeviceSummary>[] _queued;
    private readonly TimeSpan _interval;
    private ITimer? _timer;

    /// <summary>Prepares the periodic send on the twins' clock; <see cref="Start"/> begins it.</summary>
    public DeviceIndexReporter(IGrainFactory grains, [FromKeyedServices(TwinClock.Key)] TimeProvider time, IOptions<DeviceIndexOptions> options, ILogger<DeviceIndexReporter> logger)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _time = time;
        _logger = logger;
        _shards = options.Value.Shards;
        _queued = NewQueues();
        _interval = options.Value.FlushInterval;
    }

    /// <summary>Begins sending every <see cref="DeviceIndexOptions.FlushInterval"/>; a second call does nothing.</summary>
    public void Start()
    {
        lock (_gate)
        {
            _timer ??= _time.CreateTimer(_ => _ = FlushAsync(), null, _interval, _interval);
        }
    }

    /// <inheritdoc />
    public void Report(DeviceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var shard = DeviceIndexShards.Of(summary.DeviceId, _shards);
        lock (_gate)
        {
            _queued[shard][summary.DeviceId] = summary;
        }
    }

    /// <summary>Sends every shard the summaries queued before now; skipped while a previous send is still running.</summary>
    public async Task FlushAsync()
    {
        if (!await _flushing.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            var cutoff = _time.GetUtcNow();
            Dictionary<string, DeviceSummary>[] taken;
            lock (_gate)
            {
                taken = _queued;
                _queued = NewQueues();
            }

            await Task.WhenAll(Enumerable.Range(0, _shards).Select(shard => SendAsync(shard, cutoff, taken[shard]))).ConfigureAwait(false);
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer?.Dispose();
        _flushing.Dispose();
    }

    private async Task SendAsync(int shard, DateTimeOffset cutoff, Dictionary<string, DeviceSummary> devices)
    {
        try
        {
            await _grains.GetGrainByKey<IDeviceIndexGrain>(shard).UpdateAsync(new DeviceIndexBatch(_id, cutoff, [.. devices.Values])).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogSendFailed(exception, shard, devices.Count);
            lock (_gate)
            {
                var queue = _queued[shard];
                foreach (var (id, summary) in devices)
                {
                    // A report made since the batch was taken is newer: keep it.
                    queue.TryAdd(id, summary);
                }
            }
        }
    }

    private Dictionary<string, DeviceSummary>[] NewQueues()
    {
        var queues = new Dictionary<string, DeviceSummary>[_shards];
        for (var i = 0; i < queues.Length; i++)
        {
            queues[i] = new Dictionary<string, DeviceSummary>(StringComparer.Ordinal);
        }

        return queues;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device index shard {Shard} did not take {Count} summaries; they are sent again at the next interval")]
    private partial void LogSendFailed(Exception exception, int shard, int count);
}
