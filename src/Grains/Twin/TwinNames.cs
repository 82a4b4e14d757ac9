using DeviceTwins.Analytics;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Twin;

/// <summary>
/// Makes a twin read back from storage hold what a twin built from records holds: the process's shared instance of each
/// metric, property, partition and tag name (<see cref="NameTable"/>) rather than strings of its own, and no empty
/// dictionary or list where a fresh twin has none. The analytics state's names are shared as it is read
/// (<c>StateReader.Name</c>); this does the same for the rest of <see cref="DeviceTwinState"/>, which Orleans' serializer reads.
/// </summary>
public static class TwinNames
{
    /// <summary>Shares the names of <paramref name="state"/> in place; a dictionary whose keys are all shared already is kept.</summary>
    public static void Share(DeviceTwinState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Metrics.ShareKeys(NameTable.Shared);
        state.AppliedOffsets.ShareKeys(NameTable.Shared);
        state.Props = state.Props is { Count: > 0 } props ? Rekeyed(props) : null;
        if (state.Tags.Count > 0)
        {
            var tags = new Dictionary<string, string>(state.Tags.Count, StringComparer.Ordinal);
            foreach (var (key, value) in state.Tags)
            {
                // A value is shared only if it is a name already: a serial number must not fill the table.
                tags[NameTable.Shared(key)] = NameTable.Known(value);
            }

            state.Tags = tags;
        }
        else
        {
            state.Tags = DeviceTwinState.NoTags;
        }

        var documents = state.Documents;
        documents.Reported = Document(documents.Reported);
        documents.Desired = Document(documents.Desired);
        if (documents.ReportedMetadata is { Count: 0 })
        {
            documents.ReportedMetadata = null;
        }

        if (documents.DesiredMetadata is { Count: 0 })
        {
            documents.DesiredMetadata = null;
        }

        if (documents.PendingDesired is { Count: 0 })
        {
            documents.PendingDesired = null;
        }
    }

    private static string Document(string text) =>
        string.Equals(text, TwinSnapshot.EmptyDocument, StringComparison.Ordinal) ? TwinSnapshot.EmptyDocument : text;

    private static Dictionary<string, T> Rekeyed<T>(Dictionary<string, T> map)
    {
        var shared = true;
        // Over the pairs, not Keys: a dictionary keeps the key collection it hands out, 24 bytes for as long as it lives.
        foreach (var (key, _) in map)
        {
            if (!ReferenceEquals(key, NameTable.Shared(key)))
            {
                shared = false;
                break;
            }
        }

        if (shared)
        {
            return map;
        }

        var rekeyed = new Dictionary<string, T>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            rekeyed[NameTable.Shared(key)] = value;
        }

        return rekeyed;
    }
}
