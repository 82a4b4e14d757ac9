using System.Text.Json.Nodes;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Twin;

/// <summary>The difference between a twin's desired and reported documents, and since when it has been pending.</summary>
public static class TwinDelta
{
    /// <summary>
    /// The desired leaf values (scalars and arrays; arrays compare whole) that the reported document lacks or holds with
    /// another value (<see cref="JsonValues.Equal"/>: 1 equals 1.0), in the shape of the desired document. Desired objects
    /// with no such leaf do not appear; reported properties that are not desired are ignored.
    /// </summary>
    public static JsonObject Compute(JsonObject desired, JsonObject reported)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(reported);
        var delta = new JsonObject();
        foreach (var (name, want) in desired)
        {
            var present = reported.TryGetPropertyValue(name, out var have);
            if (want is JsonObject nested)
            {
                var inner = Compute(nested, have as JsonObject ?? []);
                if (inner.Count > 0)
                {
                    delta[name] = inner;
                }
            }
            else if (!present || !JsonValues.Equal(want, have))
            {
                delta[name] = want?.DeepClone();
            }
        }

        return delta;
    }

    /// <summary>
    /// The earliest last update among the desired properties in <paramref name="delta"/> (each leaf's own metadata, or the
    /// nearest enclosing one); null when the delta is empty.
    /// </summary>
    public static DateTimeOffset? PendingSince(JsonObject delta, IReadOnlyDictionary<string, PropertyMetadata> desiredMetadata)
    {
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(desiredMetadata);
        DateTimeOffset? earliest = null;
        foreach (var leaf in Leaves(delta, string.Empty))
        {
            for (var path = leaf; path.Length > 0; path = path[..path.LastIndexOf('/')])
            {
                if (desiredMetadata.TryGetValue(path, out var meta))
                {
                    if (earliest is null || meta.LastUpdated < earliest)
                    {
                        earliest = meta.LastUpdated;
                    }

                    break;
                }
            }
        }

        return earliest;
    }

    private static IEnumerable<string> Leaves(JsonObject document, string path)
    {
        foreach (var (name, value) in document)
        {
            var member = JsonPointer.Append(path, name);
            if (value is JsonObject nested)
            {
                foreach (var leaf in Leaves(nested, member))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return member;
            }
        }
    }
}
