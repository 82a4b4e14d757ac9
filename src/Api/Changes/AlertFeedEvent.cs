using System.Text.Json;

namespace DeviceTwins.Api.Changes;

/// <summary>
/// One record of the alerts topic as every alert stream sends it: its position and its event's data lines, rendered
/// once for all streams; null data for a record that is not an alert (passed over, its position still advanced). The
/// device's tenant decides which streams of one tenant see it. A record read from the topic is rendered when a stream
/// first sends it, not when the shared reader reads it: with no stream attached, an alert storm costs the API no JSON
/// work (in an all-in-one silo the rendering was a tenth of what the process allocated in a storm).
/// </summary>
public sealed class AlertFeedEvent
{
    private readonly byte[]? _value;
    private readonly JsonSerializerOptions? _options;
    private Rendering? _rendering;

    /// <summary>An event already rendered.</summary>
    public AlertFeedEvent(int partition, long offset, string? dataLines, string? tenant = null)
    {
        Partition = partition;
        Offset = offset;
        _rendering = new Rendering(dataLines, dataLines is null ? null : tenant);
    }

    private AlertFeedEvent(int partition, long offset, byte[] value, JsonSerializerOptions options)
    {
        Partition = partition;
        Offset = offset;
        _value = value;
        _options = options;
    }

    /// <summary>The record's partition.</summary>
    public int Partition { get; }

    /// <summary>The record's offset.</summary>
    public long Offset { get; }

    /// <summary>The event's data lines, or null when the record is not an alert.</summary>
    public string? DataLines => Rendered.DataLines;

    /// <summary>The tenant of the alert's device, null for a device of no tenant or a record that is not an alert.</summary>
    public string? Tenant => Rendered.Tenant;

    /// <summary>A record of the alerts topic, rendered on first use.</summary>
    public static AlertFeedEvent FromRecord(int partition, long offset, byte[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AlertFeedEvent(partition, offset, value ?? [], options);
    }

    // Streams on several threads may render at once: each gets the same result, and the first one stored is kept.
    private Rendering Rendered => Volatile.Read(ref _rendering) ?? Render();

    private Rendering Render()
    {
        var (dataLines, tenant) = AlertTopic.Render(_value!, _options!);
        Interlocked.CompareExchange(ref _rendering, new Rendering(dataLines, tenant), null);
        return _rendering!;
    }

    private sealed record Rendering(string? DataLines, string? Tenant);
}
