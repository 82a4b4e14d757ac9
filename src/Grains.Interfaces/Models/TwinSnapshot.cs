namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>A read-only copy of a device twin.</summary>
[GenerateSerializer, Immutable, Alias("dt.twin-snapshot")]
public sealed record TwinSnapshot(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] long Version,
    [property: Id(2)] long MessageCount,
    [property: Id(3)] DateTimeOffset FirstSeen,
    [property: Id(4)] DateTimeOffset LastSeen,
    [property: Id(5)] IReadOnlyDictionary<string, MetricReading> Metrics,
    [property: Id(6)] IReadOnlyDictionary<string, PropertyReading> Props,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>An empty JSON object.</summary>
    public const string EmptyDocument = "{}";

    /// <summary>The reported document (JSON object text): <c>props</c> and <c>reported</c> records merged, latest by event time.</summary>
    [Id(9)]
    public string Reported { get; init; } = EmptyDocument;

    /// <summary>The desired document (JSON object text), set over the REST API by merge patches.</summary>
    [Id(10)]
    public string Desired { get; init; } = EmptyDocument;

    /// <summary>The desired leaf values that differ from the reported ones, in the shape of the desired document.</summary>
    [Id(11)]
    public string Delta { get; init; } = EmptyDocument;

    /// <summary>The oldest desired change still in the delta; null when converged.</summary>
    [Id(12)]
    public DateTimeOffset? PendingSince { get; init; }

    /// <summary>Metadata of each reported property written, by JSON Pointer.</summary>
    [Id(13)]
    public IReadOnlyDictionary<string, PropertyMetadata> ReportedMetadata { get; init; } = new Dictionary<string, PropertyMetadata>();

    /// <summary>Metadata of each desired property written, by JSON Pointer.</summary>
    [Id(14)]
    public IReadOnlyDictionary<string, PropertyMetadata> DesiredMetadata { get; init; } = new Dictionary<string, PropertyMetadata>();

    /// <summary>"converged" when the delta is empty, otherwise "pending".</summary>
    public string Convergence => Delta == EmptyDocument ? "converged" : "pending";
}
