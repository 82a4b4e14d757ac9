using System.Collections.Concurrent;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Windows;
using DeviceTwins.Grains.Persistence;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// The twin history of the single-process default (no Redis): each device's retained windows and cleared alerts as
/// their stored bytes, one array per item, nothing else per device. Nothing survives the process.
/// </summary>
public sealed class InProcessTwinHistoryStore : ITwinHistoryStore
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public Task AppendAsync(string deviceId, IReadOnlyList<WindowAggregate> windows, IReadOnlyList<Alert> cleared, TwinHistoryLimits limits)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(cleared);
        if (windows.Count == 0 && cleared.Count == 0)
        {
            return Task.CompletedTask;
        }

        var entry = _entries.GetOrAdd(deviceId, _ => new Entry());
        lock (entry)
        {
            entry.Windows = Appended(entry.Windows, windows.Select(TwinHistoryCodec.EncodeWindow), limits.Windows);
            entry.Alerts = Appended(entry.Alerts, cleared.Select(TwinHistoryCodec.EncodeAlert), limits.Alerts);
        }

        return Task.CompletedTask;
    }

    public Task<TwinHistory> ReadAsync(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (!_entries.TryGetValue(deviceId, out var entry))
        {
            return Task.FromResult(TwinHistory.Empty);
        }

        byte[][] windows;
        byte[][] alerts;
        lock (entry)
        {
            (windows, alerts) = (entry.Windows, entry.Alerts);
        }

        return Task.FromResult(TwinHistoryCodec.Decode(deviceId, windows, alerts, new TwinHistoryLimits(int.MaxValue, int.MaxValue)));
    }

    // A new array each time (items are never changed in place), so a reader holding the old one reads a consistent list.
    private static byte[][] Appended(byte[][] current, IEnumerable<byte[]> added, int limit)
    {
        var all = current.Concat(added).ToArray();
        return all.Length <= limit ? all : all[^limit..];
    }

    private sealed class Entry
    {
        public byte[][] Windows { get; set; } = [];

        public byte[][] Alerts { get; set; } = [];
    }
}
