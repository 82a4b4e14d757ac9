using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Twin;

/// <summary>
/// The reported and desired documents of a twin with the metadata of every property written, and the outbox of desired
/// changes not yet published (stored in the same write as the change).
/// </summary>
[GenerateSerializer, Alias("dt.twin-documents")]
public sealed class TwinDocuments
{
    /// <summary>The reported document, JSON object text.</summary>
    [Id(0)]
    public string Reported { get; set; } = TwinSnapshot.EmptyDocument;

    /// <summary>Metadata per reported property written, by JSON Pointer; null until one is (no dictionary per twin).</summary>
    [Id(1)]
    public Dictionary<string, PropertyMetadata>? ReportedMetadata { get; set; }

    /// <summary>The desired document, JSON object text.</summary>
    [Id(2)]
    public string Desired { get; set; } = TwinSnapshot.EmptyDocument;

    /// <summary>Metadata per desired property written, by JSON Pointer; null until one is (no dictionary per twin).</summary>
    [Id(3)]
    public Dictionary<string, PropertyMetadata>? DesiredMetadata { get; set; }

    /// <summary>Desired changes stored but not yet published, oldest first; null while there are none (no list per twin).</summary>
    [Id(4)]
    public List<DesiredChange>? PendingDesired { get; set; }

    /// <summary>Audit records of API writes stored but not yet published, oldest first; null while there are none (no list per twin).</summary>
    [Id(5)]
    public List<AuditRecord>? PendingAudit { get; set; }
}
