using DeviceTwins.Grains.Interfaces.Commands;

namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>A validated telemetry record and where it was read from (topic, partition, offset).</summary>
[GenerateSerializer, Immutable, Alias("dt.telemetry")]
public sealed record TelemetryEvent(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] DateTimeOffset Timestamp,
    [property: Id(2)] MetricSample[] Metrics,
    [property: Id(3)] PropertySample[] Properties,
    [property: Id(4)] string Topic,
    [property: Id(5)] int Partition,
    [property: Id(6)] long Offset)
{
    /// <summary>The record's <c>reported</c> member: a JSON merge patch (RFC 7396) of the reported document, as JSON text; null when absent.</summary>
    [Id(7)]
    public string? Reported { get; init; }

    /// <summary>W3C trace context of the record's receipt (or its producer), when it came with one; the twin continues it.</summary>
    [Id(8)]
    public string? TraceParent { get; init; }

    /// <summary>The record's <c>commandResult</c> member: the device's report on one of its commands; null when absent.</summary>
    [Id(9)]
    public CommandResultReport? CommandResult { get; init; }

    /// <summary>The record's <c>connection</c> member (written by the MQTT bridge): the device connected or disconnected; null when absent.</summary>
    [Id(10)]
    public DeviceConnection? Connection { get; init; }

    /// <summary>When the silo's Kafka reader read the record (default when unknown): the twin measures the record's wait for its turn from it.</summary>
    [Id(11)]
    public DateTimeOffset ReceivedAt { get; init; }
}
