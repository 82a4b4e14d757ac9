using DeviceTwins.Analytics;
using DeviceTwins.Grains.Persistence;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Twin;

/// <summary>
/// The persisted twin of one device. <see cref="AppliedOffsets"/> lives in the same write as the data it
/// produced, so after a crash a replayed record is recognised and skipped.
/// </summary>
[GenerateSerializer, Alias("dt.twin-state")]
public sealed class DeviceTwinState : IPrioritizedWrite
{
    /// <summary>The tags of every twin without any: one empty instance, never changed.</summary>
    public static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>(0, StringComparer.Ordinal);

    [NonSerialized]
    private bool _writeFirst;

    // Stored as before (the same id and type); a twin whose tags were stored empty reads back an empty dictionary.
    [Id(9)]
    private Dictionary<string, string>? _tags;

    // Readings and applied offsets as twins stored them before NamedValues (a dictionary each); read, never written again.
    [Id(4)]
    private Dictionary<string, MetricReading>? _storedMetrics;

    [Id(6)]
    private Dictionary<string, long>? _storedOffsets;

    [Id(24)]
    private NamedValues<MetricReading>? _metrics;

    [Id(25)]
    private NamedValues<long>? _appliedOffsets;

    /// <summary>Grows by one with every applied record.</summary>
    [Id(0)]
    public long Version { get; set; }

    /// <summary>Records applied.</summary>
    [Id(1)]
    public long MessageCount { get; set; }

    /// <summary>Earliest event time seen.</summary>
    [Id(2)]
    public DateTimeOffset FirstSeen { get; set; }

    /// <summary>Latest event time seen.</summary>
    [Id(3)]
    public DateTimeOffset LastSeen { get; set; }

    /// <summary>Latest value of each metric by event time.</summary>
    public NamedValues<MetricReading> Metrics
    {
        get => NamedValues<MetricReading>.OnFirstUse(ref _metrics, ref _storedMetrics);
        set => _metrics = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Latest reported value of each property by event time; null until the device reports one (no dictionary per twin).</summary>
    [Id(5)]
    public Dictionary<string, PropertyReading>? Props { get; set; }

    /// <summary>Highest applied offset per source partition ("topic:partition").</summary>
    public NamedValues<long> AppliedOffsets
    {
        get => NamedValues<long>.OnFirstUse(ref _appliedOffsets, ref _storedOffsets);
        set => _appliedOffsets = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Processing time of the last applied record.</summary>
    [Id(7)]
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Windows, detectors, alerts and the outbox of outputs not yet published (persisted in binary, AnalyticsStateCodec).</summary>
    [Id(8)]
    public DeviceAnalyticsState Analytics { get; set; } = new();

    /// <summary>
    /// Key/value labels set over the API (site, model, ...), used to select rules. Replaced whole, never changed in place,
    /// so a summary of the twin can hold the same instance; a twin without tags holds none (<see cref="NoTags"/>).
    /// </summary>
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags ?? NoTags;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _tags = value.Count == 0 ? null : value as Dictionary<string, string> ?? new Dictionary<string, string>(value, StringComparer.Ordinal);
        }
    }

    /// <summary>Reported and desired documents, their metadata and the outbox of desired changes.</summary>
    [Id(20)]
    public TwinDocuments Documents { get; set; } = new();

    /// <summary>
    /// When the twin next has work due on processing time (a window to close, a heartbeat deadline, stored outputs to
    /// publish), as of its last write; the twin store puts it in the durable wake index in the same write. Null: none.
    /// </summary>
    [Id(21)]
    public DateTimeOffset? WakeAt { get; set; }

    /// <summary>The device's commands, its connection and the outbox of command events; null until it has any (no object per twin).</summary>
    [Id(22)]
    public Commands.TwinCommands? Commands { get; set; }

    /// <summary>The device's credentials (secret hashes) for the MQTT bridge; null while it has none (no list per twin).</summary>
    [Id(23)]
    public List<Interfaces.Credentials.DeviceCredential>? Credentials { get; set; }

    /// <summary>Whether the write in progress goes ahead of bulk writes in the twin store's queue; set per write, never stored.</summary>
    public bool WriteFirst { get => _writeFirst; set => _writeFirst = value; }

    /// <summary>Whether the twin exists: a record was applied, or tags or desired properties were set.</summary>
    public bool Exists => Version > 0;
}
