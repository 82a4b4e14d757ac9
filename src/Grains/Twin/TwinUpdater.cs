using System.Collections.Concurrent;
using System.Globalization;
using DeviceTwins.Analytics;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Twin;

/// <summary>Applies telemetry to a twin: once per source offset, latest values by event time.</summary>
public static class TwinUpdater
{
    private static readonly ConcurrentDictionary<(string Topic, int Partition), string> SourceKeys = new();

    /// <summary>Applies <paramref name="telemetry"/>; returns false (and changes nothing) when its offset was already applied.</summary>
    public static bool Apply(DeviceTwinState state, TelemetryEvent telemetry, DateTimeOffset processedAt)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(telemetry);
        var source = SourceKey(telemetry.Topic, telemetry.Partition);
        if (state.AppliedOffsets.TryGetValue(source, out var applied) && telemetry.Offset <= applied)
        {
            return false;
        }

        state.AppliedOffsets.Set(source, telemetry.Offset);
        var ts = telemetry.Timestamp;
        if (state.MessageCount == 0 || ts < state.FirstSeen)
        {
            state.FirstSeen = ts;
        }

        if (state.MessageCount == 0 || ts > state.LastSeen)
        {
            state.LastSeen = ts;
        }

        foreach (var metric in telemetry.Metrics)
        {
            // ">=": of two records with the same event time, the later offset wins.
            if (!state.Metrics.TryGetValue(metric.Name, out var current) || ts >= current.Timestamp)
            {
                state.Metrics.Set(metric.Name, new MetricReading(metric.Value, ts));
            }
        }

        foreach (var property in telemetry.Properties)
        {
            var props = state.Props ??= new Dictionary<string, PropertyReading>(StringComparer.Ordinal);
            if (!props.TryGetValue(property.Name, out var current) || ts >= current.Timestamp)
            {
                props[property.Name] = new PropertyReading(property.Json, ts);
            }
        }

        TwinProperties.ApplyReported(state.Documents, telemetry);
        state.MessageCount++;
        state.Version++;
        state.UpdatedAt = processedAt;
        return true;
    }

    /// <summary>Builds an immutable snapshot of the twin.</summary>
    public static TwinSnapshot Snapshot(string deviceId, DeviceTwinState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var snapshot = new TwinSnapshot(
            deviceId,
            state.Version,
            state.MessageCount,
            state.FirstSeen,
            state.LastSeen,
            new Dictionary<string, MetricReading>(state.Metrics, StringComparer.Ordinal),
            state.Props is { } props ? new Dictionary<string, PropertyReading>(props, StringComparer.Ordinal) : new Dictionary<string, PropertyReading>(StringComparer.Ordinal),
            state.UpdatedAt,
            new Dictionary<string, string>(state.Tags, StringComparer.Ordinal));
        return TwinProperties.Describe(snapshot, state.Documents);
    }

    /// <summary>
    /// The key under which the applied offset of a source partition is remembered: one instance per partition in the
    /// process (<see cref="NameTable"/>), shared by every twin it feeds and by twins read back from storage.
    /// </summary>
    public static string SourceKey(string topic, int partition)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return SourceKeys.TryGetValue((topic, partition), out var key)
            ? key
            : SourceKeys.GetOrAdd((topic, partition), static source => NameTable.Shared(string.Create(CultureInfo.InvariantCulture, $"{source.Topic}:{source.Partition}")));
    }
}
