using System.Text.Json.Nodes;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Twin;

/// <summary>
/// RFC 7396 merge patches on a twin document that also keep, per property written (each leaf of the patch: a scalar, an
/// array or a deletion), its <see cref="PropertyMetadata"/> under its JSON Pointer.
/// </summary>
public static class TrackedMergePatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="document"/> and stamps each property written. With
    /// <paramref name="latestByTime"/> (device updates), a write is skipped when the property, a value containing it or a
    /// value inside it was written with a later <see cref="PropertyMetadata.LastUpdated"/>, and a property written with
    /// an equal value is stamped again. Without it (REST), every write applies and only changed properties are stamped.
    /// Returns whether the document or its metadata changed.
    /// </summary>
    public static bool Apply(JsonObject document, JsonObject patch, Dictionary<string, PropertyMetadata> metadata, PropertyMetadata stamp, bool latestByTime)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(stamp);
        return Merge(document, patch, string.Empty, metadata, stamp, latestByTime);
    }

    /// <summary>
    /// Writes <paramref name="value"/> whole (an object replaces, it does not merge) as member <paramref name="name"/> of
    /// the document, null removing it, under the same rules as <see cref="Apply"/>. Returns whether anything changed.
    /// </summary>
    public static bool Replace(JsonObject document, string name, JsonNode? value, Dictionary<string, PropertyMetadata> metadata, PropertyMetadata stamp, bool latestByTime)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(stamp);
        return Write(document, name, value, JsonPointer.Append(string.Empty, name), metadata, stamp, latestByTime);
    }

    private static bool Merge(JsonObject target, JsonObject patch, string path, Dictionary<string, PropertyMetadata> metadata, PropertyMetadata stamp, bool latestByTime)
    {
        var changed = false;
        foreach (var (name, value) in patch)
        {
            var member = JsonPointer.Append(path, name);
            if (value is JsonObject members)
            {
                if (!target.TryGetPropertyValue(name, out var current) || current is not JsonObject nested)
                {
                    if (latestByTime && WrittenLater(member, metadata, stamp))
                    {
                        continue;
                    }

                    // A scalar or array becomes an object: what was written at it or inside it is gone.
                    nested = [];
                    target[name] = nested;
                    RemoveAt(member, metadata);
                    changed = true;
                }

                changed |= Merge(nested, members, member, metadata, stamp, latestByTime);
                continue;
            }

            changed |= Write(target, name, value, member, metadata, stamp, latestByTime);
        }

        return changed;
    }

    private static bool Write(JsonObject target, string name, JsonNode? value, string path, Dictionary<string, PropertyMetadata> metadata, PropertyMetadata stamp, bool latestByTime)
    {
        if (latestByTime && WrittenLater(path, metadata, stamp))
        {
            return false;
        }

        var present = target.TryGetPropertyValue(name, out var current);
        if (value is null)
        {
            // Deletion is not remembered: a record older than the one that deleted it can set the property again.
            var removed = present && target.Remove(name);
            return RemoveAt(path, metadata) | removed;
        }

        var same = present && JsonValues.Equal(current, value);
        if (same && !latestByTime)
        {
            return false;
        }

        if (!same)
        {
            target[name] = value.DeepClone();
        }

        RemoveAt(path, metadata);
        metadata[path] = stamp;
        return true;
    }

    private static bool WrittenLater(string path, Dictionary<string, PropertyMetadata> metadata, PropertyMetadata stamp)
    {
        foreach (var (written, meta) in metadata)
        {
            if (meta.LastUpdated > stamp.LastUpdated && JsonPointer.Overlap(written, path))
            {
                return true;
            }
        }

        return false;
    }

    // Drops the metadata of the property at path and of everything inside it.
    private static bool RemoveAt(string path, Dictionary<string, PropertyMetadata> metadata)
    {
        var removed = false;
        foreach (var written in metadata.Keys.Where(k => JsonPointer.IsSelfOrAncestor(path, k)).ToList())
        {
            removed |= metadata.Remove(written);
        }

        return removed;
    }
}
