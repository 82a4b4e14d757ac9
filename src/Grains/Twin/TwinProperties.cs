using System.Text;
using System.Text.Json.Nodes;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Twin;

/// <summary>Reported and desired properties of a twin: device updates, desired patches, and the delta between them.</summary>
public static class TwinProperties
{
    private static readonly IReadOnlyDictionary<string, PropertyMetadata> NoMetadata = new Dictionary<string, PropertyMetadata>(0, StringComparer.Ordinal);

    /// <summary>
    /// Merges a telemetry record's <c>props</c> (each member replaces that top-level property whole) and then its
    /// <c>reported</c> merge patch into the reported document, latest by event time per property. Returns whether it changed.
    /// </summary>
    public static bool ApplyReported(TwinDocuments documents, TelemetryEvent telemetry)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(telemetry);
        if (telemetry.Properties.Length == 0 && telemetry.Reported is null)
        {
            return false;
        }

        var reported = JsonValues.ParseDocument(documents.Reported);
        var stamp = new PropertyMetadata(telemetry.Timestamp, PropertyMetadata.DeviceSource, telemetry.Topic, telemetry.Partition, telemetry.Offset);
        var changed = false;
        var metadata = documents.ReportedMetadata ??= new Dictionary<string, PropertyMetadata>(StringComparer.Ordinal);
        foreach (var property in telemetry.Properties)
        {
            changed |= TrackedMergePatch.Replace(reported, property.Name, JsonNode.Parse(property.Json), metadata, stamp, latestByTime: true);
        }

        if (telemetry.Reported is not null && JsonNode.Parse(telemetry.Reported) is JsonObject patch)
        {
            changed |= TrackedMergePatch.Apply(reported, patch, metadata, stamp, latestByTime: true);
        }

        if (changed)
        {
            documents.Reported = JsonValues.Write(reported);
        }

        return changed;
    }

    /// <summary>
    /// Applies a merge patch to the desired document at <paramref name="now"/> (source "rest"), unless the resulting
    /// document would exceed <paramref name="maxDocumentBytes"/> in UTF-8, in which case nothing changes.
    /// </summary>
    public static DesiredPatchOutcome PatchDesired(TwinDocuments documents, JsonObject patch, DateTimeOffset now, int maxDocumentBytes)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(patch);
        var desired = JsonValues.ParseDocument(documents.Desired);
        var metadata = documents.DesiredMetadata is { } written
            ? new Dictionary<string, PropertyMetadata>(written, StringComparer.Ordinal)
            : new Dictionary<string, PropertyMetadata>(StringComparer.Ordinal);
        if (!TrackedMergePatch.Apply(desired, patch, metadata, new PropertyMetadata(now, PropertyMetadata.RestSource), latestByTime: false))
        {
            return DesiredPatchOutcome.Unchanged;
        }

        var text = JsonValues.Write(desired);
        if (Encoding.UTF8.GetByteCount(text) > maxDocumentBytes)
        {
            return DesiredPatchOutcome.TooLarge;
        }

        documents.Desired = text;
        documents.DesiredMetadata = metadata;
        return DesiredPatchOutcome.Changed;
    }

    /// <summary>The delta between the desired and reported documents, as JSON object text.</summary>
    public static string Delta(TwinDocuments documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return JsonValues.Write(TwinDelta.Compute(JsonValues.ParseDocument(documents.Desired), JsonValues.ParseDocument(documents.Reported)));
    }

    /// <summary><paramref name="snapshot"/> with the documents, the delta, since when it is pending and the metadata.</summary>
    public static TwinSnapshot Describe(TwinSnapshot snapshot, TwinDocuments documents)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(documents);
        var delta = TwinDelta.Compute(JsonValues.ParseDocument(documents.Desired), JsonValues.ParseDocument(documents.Reported));
        return snapshot with
        {
            Reported = documents.Reported,
            Desired = documents.Desired,
            Delta = JsonValues.Write(delta),
            PendingSince = TwinDelta.PendingSince(delta, documents.DesiredMetadata ?? NoMetadata),
            ReportedMetadata = Copy(documents.ReportedMetadata),
            DesiredMetadata = Copy(documents.DesiredMetadata),
        };
    }

    private static Dictionary<string, PropertyMetadata> Copy(Dictionary<string, PropertyMetadata>? metadata) => metadata is null
        ? new Dictionary<string, PropertyMetadata>(StringComparer.Ordinal)
        : new Dictionary<string, PropertyMetadata>(metadata, StringComparer.Ordinal);
}
